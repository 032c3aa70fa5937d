#!/usr/bin/env node
// Adds package-lock.json entries for optional platform packages (macOS, Windows, ... builds of swc and
// msgpackr) that the registry reachable here does not serve: npm install then leaves them out of the lock,
// and npm ci refuses a lock without them. Entries carry os/cpu, so npm ci skips them on other platforms.
// Run after every dependency change: npm run lockfile:complete
const fs = require('fs');
const file = process.argv[2] || 'package-lock.json';
const lock = JSON.parse(fs.readFileSync(file, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies || {})) {
    const base = path ? `${path}/node_modules/${name}` : `node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (pkgs[base] || pkgs[top]) continue;
    const os = /darwin/.test(name) ? ['darwin'] : /win32/.test(name) ? ['win32'] : /freebsd/.test(name) ? ['freebsd'] : /android/.test(name) ? ['android'] : /linux/.test(name) ? ['linux'] : undefined;
    const cpu = /arm64/.test(name) ? ['arm64'] : /x64/.test(name) ? ['x64'] : /ia32/.test(name) ? ['ia32'] : /arm/.test(name) ? ['arm'] : /ppc64/.test(name) ? ['ppc64'] : /s390x/.test(name) ? ['s390x'] : /riscv64/.test(name) ? ['riscv64'] : undefined;
    pkgs[top] = { version: range.replace(/^[\^~]/, ''), optional: true, ...(os ? { os } : {}), ...(cpu ? { cpu } : {}) };
    added++;
  }
}
fs.writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} optional platform entries`);
