import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactedConfig, withDemoDefaults } from '../../src/platform/config.js';

describe('configuration', () => {
  it('gives the documented defaults with an empty environment', () => {
    const config = loadConfig({ QUEUEBELL_DATA_DIR: '/tmp/qb-config-test' });
    expect(config).toMatchObject({
      queuePort: 8080,
      pushPort: 8090,
      queueWorkerPort: 8081,
      pushWorkerPort: 8091,
      host: '127.0.0.1',
      allowPrivateWebhooks: false,
      demo: false,
      smtpUrl: null,
      sms: null,
    });
    expect(config.databaseUrl).toBe('/tmp/qb-config-test/queue-service.sqlite');
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({
        QUEUEBELL_QUEUE_PORT: 'eighty',
        QUEUEBELL_SMTP_URL: 'ftp://x',
        QUEUEBELL_ADMIN_TOKEN: 'short',
        QUEUEBELL_SMS_FROM: '+3361',
        QUEUEBELL_LOG_LEVEL: 'loud',
      });
      expect.unreachable('loadConfig accepted a bad environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      for (const name of ['QUEUEBELL_QUEUE_PORT', 'QUEUEBELL_SMTP_URL', 'QUEUEBELL_ADMIN_TOKEN', 'QUEUEBELL_SMS_', 'QUEUEBELL_LOG_LEVEL'])
        expect(problems).toContain(name);
      expect(problems).toContain('QUEUEBELL_QUEUE_PORT must be a port number, got "eighty"');
    }
    expect(() => loadConfig({ QUEUEBELL_PUSH_PORT: '65536' })).toThrow(/QUEUEBELL_PUSH_PORT must be a port number/);
    expect(loadConfig({ QUEUEBELL_PUSH_PORT: '65535' }).pushPort).toBe(65535);
  });

  it('turns the demo and private webhooks on under npm start, unless told 0', () => {
    expect(loadConfig(withDemoDefaults({}))).toMatchObject({ demo: true, allowPrivateWebhooks: true });
    expect(loadConfig(withDemoDefaults({ QUEUEBELL_DEMO: '0', QUEUEBELL_ALLOW_PRIVATE_WEBHOOKS: '0' }))).toMatchObject({
      demo: false,
      allowPrivateWebhooks: false,
    });
  });

  it('never shows secrets in the copy that is logged', () => {
    const config = loadConfig({
      QUEUEBELL_ADMIN_TOKEN: 'admin-token-0123456789',
      QUEUEBELL_MASTER_KEY: 'm'.repeat(40),
      QUEUEBELL_DATABASE_URL: 'postgres://queuebell:hunter2@db:5432/qb',
      QUEUEBELL_SMTP_URL: 'smtp://mailer:pw123@smtp:587',
      QUEUEBELL_SMS_ACCOUNT_SID: 'AC1',
      QUEUEBELL_SMS_AUTH_TOKEN: 'sms-secret',
      QUEUEBELL_SMS_FROM: '+33600000000',
    });
    const logged = JSON.stringify(redactedConfig(config));
    for (const secret of ['admin-token-0123456789', 'mmmmmmmm', 'hunter2', 'pw123', 'sms-secret']) expect(logged).not.toContain(secret);
    expect(logged).toContain('postgres://queuebell:***@db:5432/qb');
  });

  it('reads public URLs without their trailing slash and proxy lists of addresses and ranges, and says what is wrong with bad ones', () => {
    const config = loadConfig({
      QUEUEBELL_PUBLIC_URL: 'https://queue.example.com/',
      QUEUEBELL_PUSH_PUBLIC_URL: 'https://example.com/push/',
      QUEUEBELL_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1',
      QUEUEBELL_ACCESS_LOG: '1',
    });
    expect(config).toMatchObject({
      queuePublicUrl: 'https://queue.example.com',
      pushPublicUrl: 'https://example.com/push',
      trustProxy: ['10.0.0.1', '192.168.0.0/16', '::1'],
      accessLog: true,
      workerThreads: true,
    });
    expect(loadConfig({})).toMatchObject({ queuePublicUrl: null, pushPublicUrl: null, trustProxy: [], accessLog: false });
    try {
      loadConfig({
        QUEUEBELL_PUBLIC_URL: 'ftp://x',
        QUEUEBELL_PUSH_PUBLIC_URL: 'not a url',
        QUEUEBELL_TRUST_PROXY: '10.0.0.1,proxy.local,10.0.0.0/99',
      });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('QUEUEBELL_PUBLIC_URL must be an http:// or https:// URL');
      expect(problems).toContain('QUEUEBELL_PUSH_PUBLIC_URL is not a URL');
      expect(problems).toContain('"proxy.local" is not an IP address or CIDR range');
      expect(problems).toContain('"10.0.0.0/99" is not an IP address or CIDR range');
    }
  });

  it('takes the VAPID contact from its own setting, else from the first https: public URL, and refuses one push services would not accept', () => {
    const contact = (env: Record<string, string>) => loadConfig(env).pushVapidSubject;
    expect(contact({ QUEUEBELL_PUSH_VAPID_SUBJECT: 'mailto:ops@example.com', QUEUEBELL_PUSH_PUBLIC_URL: 'https://push.example.com' })).toBe(
      'mailto:ops@example.com',
    );
    expect(contact({ QUEUEBELL_PUSH_PUBLIC_URL: 'https://push.example.com/', QUEUEBELL_PUBLIC_URL: 'https://queue.example.com' })).toBe(
      'https://push.example.com',
    );
    expect(contact({ QUEUEBELL_PUSH_PUBLIC_URL: 'http://10.0.0.5:8090', QUEUEBELL_PUBLIC_URL: 'https://queue.example.com' })).toBe(
      'https://queue.example.com',
    );
    expect(contact({ QUEUEBELL_PUSH_PUBLIC_URL: 'http://10.0.0.5:8090' })).toBeNull();
    expect(contact({})).toBeNull();
    for (const wrong of ['ops@example.com', 'http://push.example.com', 'mailto:nobody']) {
      expect(() => loadConfig({ QUEUEBELL_PUSH_VAPID_SUBJECT: wrong })).toThrow(
        /QUEUEBELL_PUSH_VAPID_SUBJECT must be a mailto: address or an https:\/\/ URL/,
      );
    }
  });

  it('runs worker threads ten nice steps below the API unless told otherwise, from 0 to 19', () => {
    expect(loadConfig({}).workerNice).toBe(10);
    expect(loadConfig({ QUEUEBELL_WORKER_NICE: '0' }).workerNice).toBe(0);
    expect(loadConfig({ QUEUEBELL_WORKER_NICE: '19' }).workerNice).toBe(19);
    for (const wrong of ['20', '-1', '2.5', 'low']) {
      expect(() => loadConfig({ QUEUEBELL_WORKER_NICE: wrong })).toThrow(/QUEUEBELL_WORKER_NICE must be a whole number from 0 to 19/);
    }
  });

  it('keeps push history a week unless told otherwise, and at least a day', () => {
    expect(loadConfig({}).pushRetentionDays).toBe(7);
    expect(loadConfig({ QUEUEBELL_PUSH_RETENTION_DAYS: '30' }).pushRetentionDays).toBe(30);
    expect(() => loadConfig({ QUEUEBELL_PUSH_RETENTION_DAYS: '0' })).toThrow(
      /QUEUEBELL_PUSH_RETENTION_DAYS must be a positive whole number/,
    );
  });
});
