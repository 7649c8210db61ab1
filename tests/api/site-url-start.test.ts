/**
 * A server reachable beyond loopback with SITE_URL at its localhost default would hand out dead QR
 * codes and feed links: it refuses to start, naming SITE_URL in Chinese and English.
 */
import { describe, expect, it } from 'vitest';
import { startServer } from '../support/server';

describe('start with SITE_URL at its default', () => {
  it('is refused when the server listens beyond loopback', async () => {
    const server = await startServer({ env: { HOST: '0.0.0.0', SITE_URL: 'http://localhost:4321' }, allowExit: true });
    try {
      await new Promise<void>((done) =>
        server.process.exitCode !== null ? done() : server.process.once('exit', () => done()),
      );
      expect(server.process.exitCode).toBe(1);
      expect(server.output()).toContain('SITE_URL 未设置');
      expect(server.output()).toContain('Set SITE_URL');
    } finally {
      await server.stop();
    }
  });

  it('is allowed on loopback, with the warning in the log and on the admin pages', async () => {
    const server = await startServer({ env: { SITE_URL: 'http://localhost:4321' } });
    try {
      expect((await fetch(`${server.url}/api/health`)).ok).toBe(true);
      expect(server.output()).toContain('SITE_URL 未设置：二维码和链接指向 localhost，打印前请设置');
      const adminPage = await (await fetch(`${server.url}/admin/login/`)).text();
      expect(adminPage).toContain('SITE_URL 未设置：二维码和链接指向 localhost，打印前请设置');
    } finally {
      await server.stop();
    }
  });
});
