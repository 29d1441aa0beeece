// Who commits: the hardened git runner gives git an empty global config, so the person's name
// and email come from GIT_AUTHOR_*/GIT_COMMITTER_* in the environment, else from their own global
// git config (read by the runner, never a repository's), and are passed to git explicitly.
import { homedir } from 'node:os'
import { personGitIdentity, type GitCallEnvironment } from '../git/git-runner'

/** The identity for a commit, or an empty object to leave it to the repository's own config. */
export async function commitIdentity(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): Promise<GitCallEnvironment> {
  let name = env.GIT_AUTHOR_NAME ?? null
  let email = env.GIT_AUTHOR_EMAIL ?? null
  if (name === null || email === null) {
    const person = await personGitIdentity(home)
    name ??= person?.name ?? null
    email ??= person?.email ?? null
  }
  if (name === null || email === null) return {}
  return {
    GIT_AUTHOR_NAME: name,
    GIT_AUTHOR_EMAIL: email,
    GIT_COMMITTER_NAME: env.GIT_COMMITTER_NAME ?? name,
    GIT_COMMITTER_EMAIL: env.GIT_COMMITTER_EMAIL ?? email
  }
}
