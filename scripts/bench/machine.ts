import { cpus, release, totalmem, type } from 'node:os';

/** What the figures were measured on. */
export interface Machine {
  cpu: string;
  cores: number;
  ramGb: number;
  os: string;
  node: string;
}

export function describeMachine(): Machine {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    ramGb: totalmem() / 1024 ** 3,
    os: `${type()} ${release()}`,
    node: process.version,
  };
}
