// Runs before `npm run dev` and `npm test`: a fresh clone installs its packages on first use, and
// a clone whose lockfile asks for packages that are not installed is brought up to date.
// The check compares the lockfile's packages with what npm recorded as installed
// (node_modules/.package-lock.json) rather than file times: a new checkout or work tree gives the
// lockfile a fresh time without changing a package, and reinstalling then would replace a
// node_modules that is perfectly current (and possibly shared with other checkouts).
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const installedFile = 'node_modules/.package-lock.json';

function missingPackages() {
  if (!existsSync(installedFile)) return ['(nothing installed)'];
  const wanted = JSON.parse(readFileSync('package-lock.json', 'utf8')).packages ?? {};
  const installed = JSON.parse(readFileSync(installedFile, 'utf8')).packages ?? {};
  return (
    Object.entries(wanted)
      // '' is the project itself; optional packages are platform-specific and may rightly be absent.
      .filter(([path, meta]) => path !== '' && !meta.optional)
      .filter(([path, meta]) => installed[path]?.version !== meta.version)
      .map(([path]) => path)
  );
}

const missing = missingPackages();
if (missing.length > 0) {
  console.log(`Installing packages (npm ci): ${missing.length} missing or changed, e.g. ${missing[0]}`);
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
