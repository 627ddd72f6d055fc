/**
 * A PostgreSQL cluster of the test's own, to stop and start at will without touching the shared
 * server at 127.0.0.1:5432: initdb into a temporary directory, run as the `postgres` OS user on a
 * free port, removed by `destroy` (which never throws, so an afterAll can always call it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

const BIN = '/usr/lib/postgresql/15/bin';

/** Why this machine cannot run an own cluster, or null when it can. */
export function ownClusterUnavailable(): string | null {
  if (process.getuid?.() !== 0) return `not root (running as ${userInfo().username}): runuser -u postgres needs root`;
  if (!existsSync(join(BIN, 'initdb'))) return `${BIN}/initdb is missing`;
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
  } catch {
    return 'there is no postgres OS user';
  }
  return null;
}

export class OwnPostgresCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  /** Initialises and starts a cluster on `port`, trust auth on 127.0.0.1 only. */
  static async create(port: number): Promise<OwnPostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'qb-own-pg-'));
    const cluster = new OwnPostgresCluster(dir, port);
    try {
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
      await cluster.asPostgres('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      await cluster.start();
      return cluster;
    } catch (error) {
      cluster.destroy();
      throw error;
    }
  }

  get dataDir(): string {
    return join(this.dir, 'data');
  }

  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  start(): Promise<void> {
    return this.asPostgres('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      join(this.dir, 'server.log'),
      '-w',
      '-t',
      '30',
      '-o',
      `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dir} -c fsync=off -c max_connections=50`,
      'start',
    ]);
  }

  /** A fast shutdown: sessions are terminated (57P01), then connections are refused. */
  stop(): Promise<void> {
    return this.asPostgres('pg_ctl', ['-D', this.dataDir, '-m', 'fast', '-w', '-t', '30', 'stop']);
  }

  /** Stops whatever runs and removes the directory; never throws. */
  destroy(): void {
    try {
      if (existsSync(join(this.dataDir, 'postmaster.pid')))
        runAsPostgres(this.dir, 'pg_ctl', ['-D', this.dataDir, '-m', 'immediate', '-w', '-t', '30', 'stop']);
    } catch {
      // Already stopped, or never started.
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async asPostgres(tool: string, args: string[]): Promise<void> {
    await promisify(execFile)('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args], { cwd: this.dir });
  }
}

/** Synchronous, for destroy: an afterAll must not return before the server is gone. */
function runAsPostgres(dir: string, tool: string, args: string[]): void {
  execFileSync('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args], { stdio: 'pipe', cwd: dir });
}
