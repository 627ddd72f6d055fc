import { cpus, totalmem } from 'node:os';

export function describeMachine(): { cpu: string; cores: number; memoryGiB: number; node: string; platform: string } {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
