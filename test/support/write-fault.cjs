// Preloaded into a built bundle (NODE_OPTIONS=--require) to make the file system fail the way a
// full or read-only disk does, without a real full disk: KEYWARDEN_WRITE_FAULT="CODE:name" makes
// every write (CODE=ENOSPC, EDQUOT) or open (CODE=EROFS, EACCES) of a file whose base name is
// `name` fail with that errno, as the kernel reports it. Nothing else is touched.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { syncBuiltinESMExports } = require('node:module');
const os = require('node:os');

const [code, name] = (process.env.KEYWARDEN_WRITE_FAULT ?? '').split(':');
if (code && name) {
  const errno = -os.constants.errno[code];
  const failure = (syscall, file) => {
    const error = new Error(`${code}: ${messageOf(code)}, ${syscall}${file ? ` '${file}'` : ''}`);
    Object.assign(error, { errno, code, syscall, ...(file ? { path: file } : {}) });
    return error;
  };
  const onOpen = code === 'EROFS' || code === 'EACCES';
  const faulty = new Set();
  const { openSync, writeSync, closeSync } = fs;
  fs.openSync = function (file, ...rest) {
    const matches = typeof file === 'string' && path.basename(file) === name;
    if (matches && onOpen) throw failure('open', file);
    const fd = openSync.call(this, file, ...rest);
    if (matches) faulty.add(fd);
    return fd;
  };
  fs.writeSync = function (fd, ...rest) {
    if (faulty.has(fd)) throw failure('write');
    return writeSync.call(this, fd, ...rest);
  };
  fs.closeSync = function (fd) {
    faulty.delete(fd);
    return closeSync.call(this, fd);
  };
  syncBuiltinESMExports();
}

function messageOf(code) {
  return { ENOSPC: 'no space left on device', EDQUOT: 'disk quota exceeded', EROFS: 'read-only file system', EACCES: 'permission denied' }[code] ?? code;
}
