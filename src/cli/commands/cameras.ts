/** `alur camera add|list|remove|import`: an organisation's camera registry from the command line (which acts for its administrator). */
import { readFile } from 'node:fs/promises';
import { SYSTEM } from '../../app/accounts.js';
import { addCamera, camerasOf, deleteCamera, importCameras } from '../../app/cameras.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

export async function cameraAddCommand(name: string, options: { org: string; url: string; location?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const camera = await addCamera(alur, SYSTEM, options.org, { name, streamUrl: options.url, ...(options.location ? { location: options.location } : {}) });
    io.out(`camera ${camera.id} "${camera.name}" added: ${camera.streamUrl}`);
    return 0;
  });
}

export async function cameraListCommand(options: { org: string; json?: boolean }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const cameras = await camerasOf(alur, SYSTEM, options.org);
    if (options.json) io.out(JSON.stringify(cameras, null, 2));
    else io.out(table(['id', 'name', 'location', 'stream'], cameras.map((c) => [c.id, c.name, c.location, c.streamUrl])));
    return 0;
  });
}

export async function cameraRemoveCommand(idOrName: string, options: { org: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    await deleteCamera(alur, SYSTEM, options.org, idOrName);
    io.out(`camera "${idOrName}" removed from ${options.org}; its evidence is kept`);
    return 0;
  });
}

export async function cameraImportCommand(file: string, options: { org: string }, io: CliOutput): Promise<number> {
  const csv = await readFile(file, 'utf8');
  return withAlur(async (alur) => {
    const added = await importCameras(alur, SYSTEM, options.org, csv);
    io.out(`${added.length} camera(s) added to ${options.org}`);
    return 0;
  });
}
