// A host that starts one program through the process launcher and then has nothing left to do:
// it must end on its own, with the idle launcher still running.
import { launchProgram } from '../../node/launcher/process-launcher'

const chunks: Buffer[] = []
const exit = await launchProgram({ file: '/bin/echo', args: ['launched'], cwd: '/', env: {}, onStdout: (chunk) => chunks.push(chunk) })
process.stdout.write(JSON.stringify({ exit, stdout: Buffer.concat(chunks).toString('utf8') }))
