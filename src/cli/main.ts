/**
 * The `alur` command line. Argument parsing is commander's; each command lives in its own
 * module and returns an exit code.
 */
import { Command, InvalidArgumentError } from 'commander';
import { compileCommand, graphCommand } from './commands/compile.js';
import { simulateCommand, type SimulateFlags } from './commands/simulate.js';
import { validateCommand } from './commands/validate.js';
import { processOutput, type CliOutput } from './output.js';

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

export function createProgram(io: CliOutput, setExit: (code: number) => void): Command {
  const program = new Command('alur')
    .description('Alur: government SOPs (Permenpan RB 35/2012) as YAML, validated, compiled and run')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride()
    .showHelpAfterError();

  program.command('validate')
    .description('check SOP files: YAML syntax, the schema, and the flow (references, reachability, budgets)')
    .argument('<files...>', 'SOP YAML files')
    .option('--json', 'print the results as JSON')
    .action(async (files: string[], options: { json?: boolean }) => setExit(await validateCommand(files, options, io)));

  program.command('compile')
    .description('print the XState v5 machine config compiled from an SOP, as JSON')
    .argument('<file>', 'SOP YAML file')
    .action(async (file: string) => setExit(await compileCommand(file, io)));

  program.command('graph')
    .description('print a Mermaid flowchart of an SOP with one swimlane per role')
    .argument('<file>', 'SOP YAML file')
    .action(async (file: string) => setExit(await graphCommand(file, io)));

  program.command('simulate')
    .description('walk the happy path on a virtual clock, printing each step with its role, waktu and the running total')
    .argument('<file>', 'SOP YAML file')
    .option('--choose <step=branch>', 'take this branch at a decision, loop (repeat/exit) or approval (approved/refused); repeatable', collect)
    .option('--rounds <n>', 'repeat each loop n times before leaving it', wholeNumber, 0)
    .option('--procedure <id>', 'also run this on-demand procedure once; repeatable', collect)
    .option('--lang <lang>', 'id or en', 'id')
    .option('--json', 'print the walk as JSON')
    .action(async (file: string, flags: SimulateFlags) => setExit(await simulateCommand(file, flags, io)));

  return program;
}

/** Run the CLI with `argv` (as in process.argv); resolves to the exit code. */
export async function main(argv: string[], io: CliOutput = processOutput): Promise<number> {
  let code = 0;
  const program = createProgram(io, (c) => { code = c; });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    const exitCode = (error as { exitCode?: number }).exitCode;
    if (typeof exitCode === 'number') return exitCode;
    throw error;
  }
  return code;
}
