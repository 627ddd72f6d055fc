/**
 * Hosts of their own on the test machine: one network namespace per host, each plugged into a
 * bridge on the test machine by a veth pair (its cable), on a private /24 where the test machine
 * is .1 and the hosts .2, .3, … Pulling a cable (`setLink(name, false)`) takes the bridge end of
 * the pair down: the host keeps its address and route but nothing gets through, as when a switch
 * port dies. Needs root and iproute2; `destroy` never throws, so an afterAll can always call it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { userInfo } from 'node:os';

/** Why this machine cannot make test hosts, or null when it can. */
export function testNetworkUnavailable(): string | null {
  if (process.getuid?.() !== 0) return `not root (running as ${userInfo().username}): network namespaces need root`;
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'the ip command (iproute2) is missing';
  }
  const probe = `qbprobe${process.pid % 100000}`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'pipe' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'pipe' });
  } catch (error) {
    return `cannot create a network namespace: ${(error as Error).message.split('\n')[0]}`;
  }
  return null;
}

export class TestNetwork {
  private readonly tag: string;
  private readonly subnet: string;
  private readonly names: string[] = [];

  private constructor() {
    // Short and unique per test process: interface names have at most 15 characters.
    this.tag = `qb${process.pid % 100000}`;
    this.subnet = `10.213.${process.pid % 250}`;
  }

  /** The bridge, then one host per name. */
  static create(hosts: string[]): TestNetwork {
    const network = new TestNetwork();
    try {
      network.ip('link', 'add', network.bridge, 'type', 'bridge');
      network.ip('addr', 'add', `${network.hostAddress}/24`, 'dev', network.bridge);
      network.ip('link', 'set', network.bridge, 'up');
      for (const name of hosts) network.addHost(name);
      return network;
    } catch (error) {
      network.destroy();
      throw error;
    }
  }

  /** The test machine's address on the network. */
  get hostAddress(): string {
    return `${this.subnet}.1`;
  }

  get cidr(): string {
    return `${this.subnet}.0/24`;
  }

  address(name: string): string {
    const index = this.names.indexOf(name);
    if (index < 0) throw new Error(`no test host ${name}`);
    return `${this.subnet}.${index + 2}`;
  }

  /** Runs `command` on host `name` (in its namespace), like fork or spawn would here. */
  spawn(name: string, command: string, args: string[], options: Parameters<typeof spawn>[2]): ChildProcess {
    return spawn('ip', ['netns', 'exec', this.namespace(name), command, ...args], options);
  }

  /** Plugs host `name`'s cable in or pulls it out. */
  setLink(name: string, up: boolean): void {
    this.ip('link', 'set', this.cable(name), up ? 'up' : 'down');
  }

  /** Removes the namespaces (their end of each pair goes with them, and so the other end) and the bridge. */
  destroy(): void {
    for (const name of this.names) quietly(() => this.ip('netns', 'del', this.namespace(name)));
    quietly(() => this.ip('link', 'del', this.bridge));
  }

  private get bridge(): string {
    return `${this.tag}br`;
  }

  private namespace(name: string): string {
    return `${this.tag}-${name}`;
  }

  private cable(name: string): string {
    return `${this.tag}h${this.names.indexOf(name)}`;
  }

  private addHost(name: string): void {
    this.names.push(name);
    const namespace = this.namespace(name);
    const inside = `${this.tag}n${this.names.length - 1}`;
    this.ip('netns', 'add', namespace);
    this.ip('link', 'add', this.cable(name), 'type', 'veth', 'peer', 'name', inside);
    this.ip('link', 'set', inside, 'netns', namespace);
    this.ip('link', 'set', this.cable(name), 'master', this.bridge, 'up');
    this.ip('-n', namespace, 'addr', 'add', `${this.address(name)}/24`, 'dev', inside);
    this.ip('-n', namespace, 'link', 'set', inside, 'up');
    this.ip('-n', namespace, 'link', 'set', 'lo', 'up');
  }

  private ip(...args: string[]): void {
    execFileSync('ip', args, { stdio: 'pipe' });
  }
}

function quietly(step: () => void): void {
  try {
    step();
  } catch {
    // Already gone.
  }
}
