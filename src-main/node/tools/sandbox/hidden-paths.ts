// Credentials a command has no business reading. Inside the sandbox they are replaced by empty
// read-only stand-ins; the person can add more (e.g. Tether's own token store).
import { join } from 'node:path'

const HOME_SECRETS = [
  '.ssh',
  '.aws',
  '.azure',
  '.gnupg',
  '.kube',
  '.docker',
  '.netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.password-store',
  '.mozilla',
  '.config/gcloud',
  '.config/gh',
  '.config/google-chrome',
  '.config/chromium',
  '.local/share/keyrings'
]

export function defaultHiddenPaths(home: string): string[] {
  return HOME_SECRETS.map((name) => join(home, name))
}

/** Secrets inside Tether's own data dir: the plain key file browser mode keeps (0600, still readable by the same user). */
const DATA_DIR_SECRETS = ['keys.json']

export function dataDirSecrets(dataDir: string): string[] {
  return DATA_DIR_SECRETS.map((name) => join(dataDir, name))
}
