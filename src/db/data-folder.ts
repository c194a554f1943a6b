/**
 * The data folder holds password hashes, sessions and the audit trail: only the app's own OS user
 * may read it. A new folder is created 0700 and the database file 0600 before SQLite opens it
 * (SQLite gives the -wal and -shm files the database file's mode). Files an older version left
 * readable (0644) are tightened at every start. An existing folder's mode is only reported: it may
 * be the operator's own (a mounted volume, a folder shared with a backup agent), and with every
 * file in it 0600 a readable folder shows file names, not contents.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Our files in the folder: both modes' databases with their WAL companions, and the session secret. */
const OUR_FILES = /^(csd-relay(-demo)?\.sqlite(-wal|-shm|-journal)?|session-secret)$/;

/** What securing the folder found; the caller logs it. */
export interface DataFolderReport {
  /** Set when the folder lets group or others in (mode & 0o077): its mode, e.g. 0o755. */
  looseFolderMode: number | null;
  /** Files whose mode was tightened to 0600, with the mode they had. */
  tightened: { file: string; mode: number }[];
  /** Files that could not be tightened (not ours to chmod), with the error code. */
  failed: { file: string; code: string }[];
}

/**
 * Creates `dataDir` (0700) if missing, creates `databaseFile` inside it (0600) if missing, and
 * makes every file of ours in it 0600.
 */
export function secureDataFolder(dataDir: string, databaseFile: string): DataFolderReport {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const folderMode = fs.statSync(dataDir).mode & 0o777;
  // 'a' creates without truncating; an empty file is a valid empty SQLite database.
  fs.closeSync(fs.openSync(path.join(dataDir, databaseFile), 'a', 0o600));

  const report: DataFolderReport = { looseFolderMode: folderMode & 0o077 ? folderMode : null, tightened: [], failed: [] };
  for (const name of fs.readdirSync(dataDir)) {
    if (!OUR_FILES.test(name)) continue;
    const file = path.join(dataDir, name);
    try {
      const stat = fs.lstatSync(file);
      if (!stat.isFile() || (stat.mode & 0o077) === 0) continue;
      fs.chmodSync(file, 0o600);
      report.tightened.push({ file, mode: stat.mode & 0o777 });
    } catch (error) {
      report.failed.push({ file, code: (error as NodeJS.ErrnoException).code ?? 'unknown' });
    }
  }
  return report;
}
