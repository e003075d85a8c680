/**
 * The organisation's cameras: where each is, how its last check went, and a live view of those
 * the browser can reach (an HTTP-FLV stream without a password, e.g. one the media server serves).
 * Other cameras (RTSP, or with a password) are watched through a relay case.
 */
import { useState } from 'react';
import type { CameraView, EvidenceView } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n } from '../i18n/i18n';
import { LivePlayer } from '../media/live-player';

/** A stream the browser itself can play: HTTP(S)-FLV with no credentials in it. */
export function browserPlayable(streamUrl: string): boolean {
  return /^https?:\/\//.test(streamUrl) && /\.flv(\?|$)/.test(streamUrl) && !streamUrl.includes('@');
}

export function CamerasPage() {
  const { t, dateTime } = useI18n();
  const cameras = useFetch<{ cameras: CameraView[] }>('/cameras');
  const evidence = useFetch<{ evidence: EvidenceView[] }>('/evidence?limit=500');
  const [watching, setWatching] = useState<string>();
  // Evidence comes newest first: the first check seen per camera is its last one.
  const lastCheck = new Map<string, EvidenceView>();
  for (const e of evidence.data?.evidence ?? []) if (e.kind === 'check' && !lastCheck.has(e.cameraId)) lastCheck.set(e.cameraId, e);
  const list = cameras.data?.cameras ?? [];
  const watched = list.find((c) => c.id === watching);
  return (
    <>
      <h1>{t('cameras.title')}</h1>
      <ErrorNote error={cameras.error ?? evidence.error} />
      {!cameras.loading && list.length === 0 && <p>{t('cameras.empty')}</p>}
      {watched && (
        <section className="card" aria-labelledby="live-heading">
          <h2 id="live-heading">{t('cameras.liveOf', { name: watched.name })}</h2>
          <LivePlayer url={watched.streamUrl} title={watched.name} />
        </section>
      )}
      {list.length > 0 && (
        <div className="table-scroll">
          <table data-testid="cameras">
            <thead>
              <tr><th scope="col">{t('cameras.col.name')}</th><th scope="col">{t('cameras.col.location')}</th><th scope="col">{t('cameras.col.status')}</th><th scope="col">{t('cameras.col.view')}</th></tr>
            </thead>
            <tbody>
              {list.map((camera) => {
                const check = lastCheck.get(camera.id);
                return (
                  <tr key={camera.id} data-camera={camera.name}>
                    <td>{camera.name}</td>
                    <td>{camera.location}</td>
                    <td data-testid="camera-status" data-ok={check ? String(check.ok) : 'unknown'}>
                      {!check ? <span className="muted">{t('cameras.unchecked')}</span> : (
                        <>
                          <span className={`badge ${check.ok ? 'done' : 'late'}`}>{check.ok ? t('cameras.ok') : t('cameras.fault')}</span>
                          <div className="small">{dateTime(check.probedAt)}{check.error ? <> · <span lang="id">{check.error}</span></> : null}</div>
                        </>
                      )}
                    </td>
                    <td>
                      {browserPlayable(camera.streamUrl)
                        ? <button type="button" className="secondary" aria-pressed={watching === camera.id} onClick={() => setWatching(watching === camera.id ? undefined : camera.id)}>{watching === camera.id ? t('cameras.stop') : t('cameras.watch')}</button>
                        : <span className="small muted">{t('cameras.viaRelay')}</span>}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
