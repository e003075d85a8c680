/**
 * The `alur` command line. Argument parsing is commander's; each command lives in its own
 * module and returns an exit code.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { DocumentFormat } from '../app/documents/render-sop-document.js';
import { processOutput, type CliOutput } from './output.js';
import { DEFAULT_INSPECT_PORT, inspectPort } from './inspect-port.js';
import type { RenderFlags } from './commands/render.js';
import type { SimulateFlags } from './commands/simulate.js';
import type { MonitoringFlags } from './commands/report.js';

// Each command's module (and with it the database, the server, XState…) is imported only when
// that command runs, so `alur validate` or `alur --help` never load what they do not use.
const commands = {
  cases: () => import('./commands/cases.js'),
  stats: () => import('./commands/stats.js'),
  serve: () => import('./commands/serve.js'),
  store: () => import('./commands/store.js'),
  organizations: () => import('./commands/organizations.js'),
  users: () => import('./commands/users.js'),
  compile: () => import('./commands/compile.js'),
  simulate: () => import('./commands/simulate.js'),
  validate: () => import('./commands/validate.js'),
  cameras: () => import('./commands/cameras.js'),
  render: () => import('./commands/render.js'),
  caseExport: () => import('./commands/case-export.js'),
  report: () => import('./commands/report.js'),
};

/** The formats of `alur render` (render-sop-document.ts's DOCUMENT_FORMATS, kept here so --help loads no renderer). */
const DOCUMENT_FORMATS = ['html', 'pdf', 'svg'] as const satisfies readonly DocumentFormat[];
/** The formats of a case report or berita acara (render-sop-document.ts's CASE_REPORT_FORMATS). */
const CASE_REPORT_FORMATS = ['html', 'pdf'] as const satisfies readonly DocumentFormat[];
// A format added to the renderer and not here fails the type check.
const allFormatsListed: Exclude<DocumentFormat, (typeof DOCUMENT_FORMATS)[number]> extends never ? true : never = true;
void allFormatsListed;

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a TCP port, 1 to 65535');
  return n;
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
    .action(async (files: string[], options: { json?: boolean }) => setExit(await (await commands.validate()).validateCommand(files, options, io)));

  program.command('compile')
    .description('print the XState v5 machine config compiled from an SOP, as JSON')
    .argument('<file>', 'SOP YAML file')
    .action(async (file: string) => setExit(await (await commands.compile()).compileCommand(file, io)));

  program.command('graph')
    .description('print a Mermaid flowchart of an SOP with one swimlane per role')
    .argument('<file>', 'SOP YAML file')
    .action(async (file: string) => setExit(await (await commands.compile()).graphCommand(file, io)));

  program.command('render')
    .description('the official document of an SOP (Permenpan RB 35/2012): identity page and flowchart table, as HTML, PDF (A4 landscape, via headless Chromium) or SVG')
    .argument('<file>', 'SOP YAML file')
    .addOption(new Option('--format <format>', 'the document format').choices([...DOCUMENT_FORMATS]).default('pdf'))
    .option('-o, --output <file>', 'where to write it ("-" prints HTML or SVG to standard output); default <sop-id>-v<version>.<format>')
    .action(async (file: string, flags: RenderFlags) => setExit(await (await commands.render()).renderCommand(file, flags, io)));

  program.command('simulate')
    .description('walk the happy path on a virtual clock, printing each step with its role, waktu and the running total')
    .argument('<file>', 'SOP YAML file')
    .option('--choose <step=branch>', 'take this branch at a decision, loop (repeat/exit) or approval (approved/refused); repeatable', collect)
    .option('--rounds <n>', 'repeat each loop n times before leaving it', wholeNumber, 0)
    .option('--procedure <id>', 'also run this on-demand procedure once; repeatable', collect)
    .option('--lang <lang>', 'id or en', 'id')
    .option('--json', 'print the walk as JSON')
    .option('--inspect [port]', `watch the walk in the Stately inspector: serves its page on this port (default ${DEFAULT_INSPECT_PORT}) until Ctrl+C`, port)
    .action(async (file: string, flags: SimulateFlags) => setExit(await (await commands.simulate()).simulateCommand(file, flags, io)));

  program.command('migrate')
    .description('bring the database schema up to date (PGlite in ALUR_DATA_DIR, or DATABASE_URL)')
    .action(guard(io, setExit, async () => (await commands.store()).migrateCommand(io)));

  program.command('publish')
    .description('publish SOP files; a changed file becomes a new revision, an unchanged one changes nothing')
    .argument('<files...>', 'SOP YAML files')
    .option('--by <name>', 'who publishes, for the record')
    .option('--org <id>', 'the organisation the SOP belongs to (needed when there is more than one)')
    .action(guard(io, setExit, async (files: string[], options: { by?: string; org?: string }) => (await commands.store()).publishCommand(files, options, io)));

  const cases = program.command('case').description('start, list and inspect cases');
  cases.command('start')
    .description('start a case of an SOP (its latest revision unless --revision)')
    .argument('<sop>', 'SOP id, e.g. tarakan-pemantau-cctv')
    .requiredOption('--actor <id>', 'who starts it')
    .option('--role <role>', 'a role the actor holds; repeatable', collect, [])
    .option('--title <title>', 'a title for the case')
    .option('--revision <n>', 'a specific published revision', wholeNumber)
    .option('--org <id>', 'the organisation whose SOP it is (needed when several publish one under this id)')
    .action(guard(io, setExit, async (sop: string, options: { actor: string; role: string[]; title?: string; revision?: number; org?: string }) => (await commands.cases()).caseStartCommand(sop, options, io)));
  cases.command('list')
    .description('list cases, newest first')
    .option('--sop <id>', 'only this SOP')
    .addOption(new Option('--status <status>', 'only cases with this status').choices(['active', 'completed', 'cancelled']))
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (options: { sop?: string; status?: 'active'; json?: boolean }) => (await commands.cases()).caseListCommand(options, io)));
  cases.command('show')
    .description('a case with its step timeline and event log')
    .argument('<id>', 'case id')
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (id: string, options: { json?: boolean }) => (await commands.cases()).caseShowCommand(id, options, io)));
  cases.command('repair')
    .description('rebuild a case\'s stored state from its event log (every case an older Alur stored, e.g. in an error state, when no id is given)')
    .argument('[id]', 'case id')
    .action(guard(io, setExit, async (id: string | undefined) => (await commands.cases()).caseRepairCommand(id, io)));

  cases.command('export')
    .description('the evidence export of a case: a zip with its event log (JSON Lines), step timeline, SOP source, camera evidence, a report and a manifest of sha256 sums with the case head; check it with `alur audit verify --export`')
    .argument('<id>', 'case id')
    .option('-o, --output <file>', 'where to write it; default case-<id>.zip')
    .addOption(new Option('--report <format>', 'the case report inside the zip').choices([...CASE_REPORT_FORMATS]).default('html'))
    .action(guard(io, setExit, async (id: string, options: { output?: string; report: 'html' | 'pdf' }) => (await commands.caseExport()).caseExportCommand(id, options, io)));

  cases.command('document')
    .description('the berita acara the SOP names for a step (document: on the step), made from what the case recorded when the step was done')
    .argument('<id>', 'case id')
    .argument('<step>', 'step id, e.g. serah-terima-akhir')
    .addOption(new Option('--format <format>', 'the document format').choices([...CASE_REPORT_FORMATS]).default('pdf'))
    .option('--visit <n>', 'which time the step was done (default: the latest)', wholeNumber)
    .option('-o, --output <file>', 'where to write it ("-" prints HTML to standard output)')
    .action(guard(io, setExit, async (id: string, step: string, options: { format: 'html' | 'pdf'; visit?: number; output?: string }) => (await commands.caseExport()).caseDocumentCommand(id, step, options, io)));

  const audit = program.command('audit')
    .description('audit commands');
  audit.command('verify')
    .description('recompute the hash chain of one case (or all) against its head, check its SOP text and replay it; report the first broken link and missing cases (exit 0 verified, 1 tampered, 3 cannot verify without ALUR_AUDIT_KEY)')
    .argument('[case]', 'case id; all cases when omitted')
    .option('--json', 'print JSON')
    .option('--heads <file>', 'also compare with heads exported earlier by `alur audit export-heads` (catches a rolled-back database)')
    .option('--export <zip>', 'verify a case export (`alur case export`) offline instead, with no database: manifest sums, hash chain, head')
    .action(guard(io, setExit, async (id: string | undefined, options: { json?: boolean; heads?: string; export?: string }) => (options.export === undefined
      ? (await commands.cases()).auditVerifyCommand(id, options, io)
      : (await commands.caseExport()).auditVerifyExportCommand(options.export, options, io))));
  audit.command('export-heads')
    .description('print every case\'s latest head (sequence number and hash) as JSON, signed with ALUR_AUDIT_KEY when set; keep it outside the database')
    .option('--org <id>', 'only this organisation\'s cases')
    .action(guard(io, setExit, async (options: { org?: string }) => (await commands.cases()).auditExportHeadsCommand(options, io)));
  audit.command('adopt-key')
    .description('once, after setting ALUR_AUDIT_KEY on a database whose cases were chained without it: check every case, then vouch for their plain-chained events with the key')
    .action(guard(io, setExit, async () => (await commands.cases()).auditAdoptKeyCommand(io)));

  program.command('stats')
    .description('actual time of every step against its waktu: count, median, p90, max, share on time, waiting')
    .option('--sop <id>', 'only this SOP')
    .addOption(new Option('--by <group>', 'split by').choices(['step', 'actor', 'day', 'shift']).default('step'))
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (options: { sop?: string; by?: 'step'; json?: boolean }) => (await commands.stats()).statsCommand(options, io)));

  program.command('report')
    .description('reports from recorded cases')
    .command('monitoring')
    .description('the monitoring form (Monitoring Pelaksanaan SOP AP) of an SOP for a period: each step assessed from its recorded times')
    .requiredOption('--sop <id>', 'the SOP')
    .option('--org <id>', 'the organisation (needed when several publish the SOP)')
    .option('--from <date>', 'steps completed at or after this date/time (ISO 8601; a date alone is that day\'s start in the organisation\'s time zone)')
    .option('--to <date>', 'steps completed before this date/time (ISO 8601; a date alone: before that day starts in the organisation\'s time zone)')
    .option('--revision <n>', 'a published revision (default the latest)', wholeNumber)
    .addOption(new Option('--format <format>', 'text on the terminal, or the form as a document').choices(['text', 'html', 'pdf', 'csv']).default('text'))
    .option('-o, --output <file>', 'write the html, pdf or csv here')
    .action(guard(io, setExit, async (flags: MonitoringFlags) => (await commands.report()).monitoringCommand(flags, io)));

  program.command('serve')
    .description('serve Alur over HTTP: migrate, publish sops/, create demo accounts, run the scheduler (what npm start runs)')
    .option('--inspect [port]', `development: watch every case in the Stately inspector, its page served on this port (default ${DEFAULT_INSPECT_PORT})`, port)
    .action(guard(io, setExit, async (flags: { inspect?: number | true }) => (await commands.serve()).serveCommand(io, { inspectPort: inspectPort(flags.inspect) })));

  const orgs = program.command('org').description('organisations (tenants): each owns its SOPs, cases and users');
  orgs.command('create')
    .description('create an organisation')
    .argument('<id>', 'lowercase id, e.g. kab-contoh')
    .requiredOption('--name <name>', 'as it calls itself, e.g. "Pemerintah Kabupaten Contoh"')
    .option('--time-zone <zone>', 'IANA time zone for days and shifts (default Asia/Jakarta)')
    .action(guard(io, setExit, async (id: string, options: { name: string; timeZone?: string }) => (await commands.organizations()).orgCreateCommand(id, options, io)));
  orgs.command('list')
    .description('every organisation')
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (options: { json?: boolean }) => (await commands.organizations()).orgListCommand(options, io)));
  orgs.command('rename')
    .description('rename an organisation or change its time zone')
    .argument('<id>')
    .option('--name <name>', 'the new name')
    .option('--time-zone <zone>', 'the new IANA time zone')
    .action(guard(io, setExit, async (id: string, options: { name?: string; timeZone?: string }) => (await commands.organizations()).orgChangeCommand(id, options, io)));

  const users = program.command('user').description('user accounts');
  users.command('create')
    .description('create a user in an organisation (the generated password is printed once)')
    .argument('<username>', 'e.g. kab-contoh.admin')
    .requiredOption('--org <id>', 'the organisation')
    .requiredOption('--role <role...>', 'roles: admin, process-owner, auditor, or a pelaksana role of one of its SOPs')
    .option('--display-name <name>', 'the name people see')
    .action(guard(io, setExit, async (username: string, options: { org: string; role: string[]; displayName?: string }) => (await commands.organizations()).userCreateCommand(username, options, io)));
  users.command('password')
    .description('give a user a new generated password (printed once); every session and API token of theirs ends')
    .argument('<username>', 'e.g. tarakan.petugas')
    .action(guard(io, setExit, async (username: string) => (await commands.users()).userPasswordCommand(username, io)));
  users.command('disable')
    .description('stop a user from logging in; every session and API token of theirs ends')
    .argument('<username>')
    .action(guard(io, setExit, async (username: string) => (await commands.users()).userDisabledCommand(username, true, io)));
  users.command('enable')
    .description('let a disabled user log in again')
    .argument('<username>')
    .action(guard(io, setExit, async (username: string) => (await commands.users()).userDisabledCommand(username, false, io)));

  const tokens = program.command('token').description('API tokens (Authorization: Bearer …)');
  tokens.command('list')
    .description('API tokens with their user, name, creation, last use (to the minute), expiry and status; never the secret')
    .option('--user <username>', 'only this user\'s')
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (options: { user?: string; json?: boolean }) => (await commands.users()).tokenListCommand(options, io)));
  tokens.command('create')
    .description('create an API token for a user; prints the secret once')
    .argument('<username>')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--expires-in-days <n>', 'the token stops working after this many days (1–3650)', wholeNumber)
    .action(guard(io, setExit, async (username: string, options: { name: string; expiresInDays?: number }) => (await commands.users()).tokenCreateCommand(username, options, io)));
  tokens.command('revoke')
    .description('revoke an API token by its id (from `alur token list`)')
    .argument('<id>')
    .action(guard(io, setExit, async (id: string) => (await commands.users()).tokenRevokeCommand(id, io)));

  const cameras = program.command('camera').description('the camera registry of an organisation');
  cameras.command('add')
    .description('register a camera (a password in the URL is stored apart and never shown)')
    .argument('<name>', 'e.g. "Simpang Grand Tarakan"')
    .requiredOption('--org <id>', 'the organisation')
    .requiredOption('--url <url>', 'rtsp://, rtmp:// or http(s):// (HTTP-FLV) stream URL')
    .option('--location <text>', 'area or address')
    .action(guard(io, setExit, async (name: string, options: { org: string; url: string; location?: string }) => (await commands.cameras()).cameraAddCommand(name, options, io)));
  cameras.command('list')
    .description('cameras of an organisation, passwords masked')
    .requiredOption('--org <id>', 'the organisation')
    .option('--json', 'print JSON')
    .action(guard(io, setExit, async (options: { org: string; json?: boolean }) => (await commands.cameras()).cameraListCommand(options, io)));
  cameras.command('remove')
    .description('remove a camera from the registry (its evidence stays)')
    .argument('<camera>', 'id or name')
    .requiredOption('--org <id>', 'the organisation')
    .action(guard(io, setExit, async (camera: string, options: { org: string }) => (await commands.cameras()).cameraRemoveCommand(camera, options, io)));
  cameras.command('import')
    .description('register the cameras of a CSV file with the header name,location,streamUrl (all or none)')
    .argument('<csv>', 'file')
    .requiredOption('--org <id>', 'the organisation')
    .action(guard(io, setExit, async (file: string, options: { org: string }) => (await commands.cameras()).cameraImportCommand(file, options, io)));

  return program;
}

/** The errors a user can act on; their modules are loaded only once a command failed (the command loaded them already). */
async function isExpectedError(error: unknown): Promise<boolean> {
  const [alur, accounts, headsFile, audit, caseService, accessPolicy, organizations, config, engine, cameras] = await Promise.all([
    import('../app/alur.js'), import('../app/accounts.js'), import('../app/audit-heads-file.js'), import('../app/audit.js'), import('../app/case-service.js'),
    import('../app/access-policy.js'), import('../app/organizations.js'), import('../config.js'), import('../engine/index.js'), import('../app/cameras.js'),
  ]);
  const expected = [
    audit.AuditKeyAdoptionError, headsFile.HeadsFileError, cameras.CameraError, engine.NotFoundError, engine.RefusedError, engine.ConflictError, alur.DataDirectoryLockedError,
    config.ConfigError, accounts.AccountError, caseService.AmbiguousSopError, organizations.OrganizationError, accessPolicy.ForbiddenError,
  ];
  return expected.some((type) => error instanceof type);
}

/** Errors a user can act on are printed as one line with exit 1; anything else is a bug and propagates. */
function guard<A extends unknown[]>(io: CliOutput, setExit: (code: number) => void, action: (...args: A) => Promise<number>) {
  return async (...args: A) => {
    try {
      setExit(await action(...args));
    } catch (error) {
      if (!(await isExpectedError(error))) throw error;
      io.err(`alur: ${(error as Error).message}`);
      setExit(1);
    }
  };
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
