import { open } from 'node:fs/promises';

/**
 * Sets the modification time of every entry of a zip file to `date` (UTC, 2-second resolution),
 * in its local header and its central directory record: zip writers stamp entries with the time
 * of writing, so without this the same content never gives the same bytes. Only the DOS
 * date/time fields change; sizes, offsets and CRCs stay as written. Refuses ZIP64 archives and
 * anything it does not recognise rather than guess.
 */
export async function pinZipDates(file: string, date: Date): Promise<void> {
  const { time, day } = dosDateTime(date);
  const handle = await open(file, 'r+');
  try {
    const read = async (position: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      if (bytesRead !== length) throw new Error(`${file}: truncated zip`);
      return buffer;
    };
    const size = (await handle.stat()).size;
    // End of central directory: 22 bytes plus a comment of up to 65535 bytes, at the very end.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await read(size - tailLength, tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw new Error(`${file}: no zip end-of-central-directory record`);
    const entries = tail.readUInt16LE(eocd + 10);
    const directorySize = tail.readUInt32LE(eocd + 12);
    const directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directoryOffset === 0xffffffff)
      throw new Error(`${file}: ZIP64 archives are not supported`);
    const directory = await read(directoryOffset, directorySize);
    const stamp = Buffer.alloc(4);
    stamp.writeUInt16LE(time, 0);
    stamp.writeUInt16LE(day, 2);
    let at = 0;
    for (let i = 0; i < entries; i++) {
      if (directory.readUInt32LE(at) !== 0x02014b50)
        throw new Error(`${file}: bad central directory record ${i}`);
      stamp.copy(directory, at + 12);
      const local = directory.readUInt32LE(at + 42);
      if ((await read(local, 4)).readUInt32LE(0) !== 0x04034b50)
        throw new Error(`${file}: bad local header of entry ${i}`);
      await handle.write(stamp, 0, 4, local + 10);
      // name, extra field and comment follow the 46 fixed bytes
      at +=
        46 +
        directory.readUInt16LE(at + 28) +
        directory.readUInt16LE(at + 30) +
        directory.readUInt16LE(at + 32);
    }
    await handle.write(directory, 0, directory.length, directoryOffset);
  } finally {
    await handle.close();
  }
}

/** MS-DOS date and time fields of a UTC instant (years 1980..2107). */
export function dosDateTime(date: Date): { time: number; day: number } {
  const year = Math.min(Math.max(date.getUTCFullYear(), 1980), 2107);
  return {
    time:
      (date.getUTCHours() << 11) |
      (date.getUTCMinutes() << 5) |
      Math.floor(date.getUTCSeconds() / 2),
    day: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}
