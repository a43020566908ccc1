import { copyFile } from 'node:fs/promises';

export async function backup(src: string, dest: string): Promise<void> {
  await copyFile(src, dest);
}
