/**
 * SQLite on a full disk (docs/design.md §Faults): the database lives on a small tmpfs of its own,
 * a filler file takes the rest of the space, and writes answer 503 STORAGE_UNAVAILABLE with
 * Retry-After instead of 500; once the filler is gone, writes succeed again in the same process.
 * Mounting needs root (CI runs as root); elsewhere the suite is skipped with a loud message.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/platform/config.js';
import { startQueueService, type RunningQueueService } from '../../../src/queue-service/main.js';
import { ADMIN_TOKEN, ApiClient } from '../support/api-client.js';
import { setUpCompany, type TestCompany } from '../support/company.js';
import type { QueueHarness } from '../support/harness.js';

const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('\n*** SKIPPED: the SQLite disk-full test mounts a tmpfs and needs root ***\n');

describe.skipIf(!isRoot)('the queue service on SQLite when the disk fills', () => {
  let mountPoint: string;
  let mounted = false;
  let service: RunningQueueService;
  let api: ApiClient;
  let company: TestCompany;
  const filler = () => join(mountPoint, 'filler');

  beforeAll(async () => {
    mountPoint = mkdtempSync(join(tmpdir(), 'qb-disk-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountPoint]);
    mounted = true;
    const config = loadConfig(
      { QUEUEBELL_DATA_DIR: '/nonexistent-test-dir' },
      {
        databaseUrl: join(mountPoint, 'queue-service.sqlite'),
        queuePort: 0,
        host: '127.0.0.1',
        rateLimitPerKeyPerMinute: 10_000_000,
        rateLimitPerAddressPerMinute: 10_000_000,
        // The test's receiver listens on loopback.
        allowPrivateWebhooks: true,
      },
    );
    service = await startQueueService({
      config: { ...config, adminToken: ADMIN_TOKEN, masterKey: 'test-master-key-0123456789abcdef0123456789' },
      role: 'all',
      logger: pino({ level: 'silent' }),
    });
    api = new ApiClient(service.url!);
    company = await setUpCompany(api as unknown as QueueHarness);
  }, 60_000);

  afterAll(async () => {
    await service?.close().catch(() => {});
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  const book = async () => {
    const user = await api.call('POST', '/v2/users', { key: company.bookingKey });
    if (user.status !== 201) return user;
    return api.call('POST', `/v2/queues/${company.queueId}/ticket`, { key: company.bookingKey, token: user.body.jwtToken, body: {} });
  };

  it('answers 503 STORAGE_UNAVAILABLE while the disk is full and takes bookings again once there is room, without a restart', async () => {
    expect((await book()).status).toBe(201);
    fillDisk(filler());
    // The write-ahead log may still have room for a few commits it had already reserved; a handful of bookings use it up.
    let refused = null;
    for (let i = 0; i < 200 && !refused; i++) {
      const reply = await book();
      if (reply.status !== 201) refused = reply;
    }
    expect(refused, 'no booking was refused on a full disk').not.toBeNull();
    expect(refused!.status).toBe(503);
    expect(refused!.body).toEqual({ error: { code: 'STORAGE_UNAVAILABLE', message: expect.any(String) } });
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await api.call('GET', '/healthz')).status).toBe(200);

    rmSync(filler());
    const again = await book();
    expect(again.status, again.text).toBe(201);
    expect((await api.call('GET', '/readyz')).status).toBe(200);
  }, 60_000);
});

/** Writes zeros until the file system says ENOSPC. */
function fillDisk(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(256 * 1024);
  try {
    for (;;) {
      try {
        writeSync(fd, chunk);
      } catch (error) {
        if ((error as { code?: string }).code !== 'ENOSPC') throw error;
        if (chunk.length === 1) return;
        return fillRest(fd);
      }
    }
  } finally {
    closeSync(fd);
  }
}

function fillRest(fd: number): void {
  for (let size = 128 * 1024; size >= 512; size /= 2) {
    try {
      for (;;) writeSync(fd, Buffer.alloc(size));
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOSPC') throw error;
    }
  }
}
