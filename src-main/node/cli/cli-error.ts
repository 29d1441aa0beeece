export const EXIT_FAILURE = 1
export const EXIT_USAGE = 2

/** An expected failure: printed as one line, no stack, with its exit code. */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = EXIT_FAILURE) {
    super(message)
    this.exitCode = exitCode
  }
}
