/** Routes live in the URL's hash (#/cases/…), so the server only ever serves `/`. */
import { useEffect, useState } from 'react';

export function currentPath(): string {
  return decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
}

export function useRoute(): string[] {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return path.split('/').filter(Boolean);
}

export function navigate(path: string): void {
  location.hash = path;
}

export function href(path: string): string {
  return `#${path}`;
}
