/**
 * A PostgreSQL cluster of the test's own, to stop and start at will without touching the shared
 * server at 127.0.0.1:5432: initdb into a temporary directory, run as the `postgres` OS user on a
 * free port, removed by `destroy` (which never throws, so an afterAll can always call it).
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
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

export interface OwnClusterOptions {
  /** Addresses to listen on besides 127.0.0.1 (a test network's host address). */
  listen?: string[];
  /** A network (CIDR) whose clients are trusted too, e.g. the test network of several namespaces. */
  trustNetwork?: string;
}

export class OwnPostgresCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    private readonly listen: string[],
  ) {}

  /** Initialises and starts a cluster on `port`, trust auth on 127.0.0.1 only (and `options`). */
  static async create(port: number, options: OwnClusterOptions = {}): Promise<OwnPostgresCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'qb-own-pg-'));
    const cluster = new OwnPostgresCluster(dir, port, ['127.0.0.1', ...(options.listen ?? [])]);
    try {
      chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
      await cluster.asPostgres('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
      if (options.trustNetwork) appendFileSync(join(cluster.dataDir, 'pg_hba.conf'), `host all all ${options.trustNetwork} trust\n`);
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
      `-p ${this.port} -c listen_addresses=${this.listen.join(',')} -c unix_socket_directories=${this.dir} -c fsync=off -c max_connections=100`,
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
