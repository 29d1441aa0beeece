// Credentials a command has no business reading. Inside the sandbox they are replaced by empty
// read-only stand-ins; the person can add more (e.g. Tether's own token store).
import { join } from 'node:path'
import { KEY_FILES } from '../../store/data-dir'

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

/** Secrets inside Tether's own data dir: the key files of browser mode and of the desktop app. */
export function dataDirSecrets(dataDir: string): string[] {
  return Object.values(KEY_FILES).map((name) => join(dataDir, name))
}
