/**
 * Commands whose flows arrive in later issues. They are declared with their final options so
 * `hcc --help` is accurate today, and answer with a clear message and exit code 2.
 */
export const NOT_AVAILABLE_EXIT_CODE = 2;

export function notAvailableYet(command: string, arrivesWith: string): () => void {
  return () => {
    process.stderr.write(`hcc ${command}: not available yet (arrives with ${arrivesWith}).\n`);
    process.exitCode = NOT_AVAILABLE_EXIT_CODE;
  };
}
