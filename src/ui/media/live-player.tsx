/**
 * Live video from the media server: HTTP-FLV played through Media Source Extensions by mpegts.js
 * (bundled, loaded only when a player shows). The page's CSP must list the media server's origin
 * (ALUR_MEDIA_ORIGINS) in connect-src and media-src; otherwise the fetch is refused and said so.
 */
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

type State = 'loading' | 'playing' | 'unsupported' | 'error';

export function LivePlayer({ url, title }: { url: string; title: string }) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<State>('loading');
  const [detail, setDetail] = useState('');

  useEffect(() => {
    let player: { destroy(): void } | undefined;
    let cancelled = false;
    setState('loading');
    void import('mpegts.js').then(({ default: mpegts }) => {
      const element = video.current;
      if (cancelled || !element) return;
      if (!mpegts.isSupported()) {
        setState('unsupported');
        return;
      }
      const created = mpegts.createPlayer({ type: 'flv', isLive: true, hasAudio: false, url }, { enableWorker: false, liveBufferLatencyChasing: true });
      created.on(mpegts.Events.ERROR, (type: string, info: string) => {
        setState('error');
        setDetail(`${type}: ${info}`);
      });
      created.attachMediaElement(element);
      created.load();
      element.addEventListener('playing', () => setState('playing'), { once: true });
      // Muted autoplay is allowed by browsers; a live view has no sound anyway.
      void Promise.resolve(created.play()).catch(() => {});
      player = created;
    }).catch((e: unknown) => {
      setState('error');
      setDetail(String(e));
    });
    return () => {
      cancelled = true;
      player?.destroy();
    };
  }, [url]);

  return (
    <figure className="live-player" data-testid="live-player" data-state={state} data-url={url}>
      <video ref={video} muted playsInline controls aria-label={title} />
      <figcaption className="small">
        {state === 'loading' && t('media.connecting')}
        {state === 'playing' && <span className="badge open">{t('media.live')}</span>}
        {state === 'unsupported' && t('media.unsupported')}
        {state === 'error' && <span role="alert">{t('media.error', { detail })}</span>}
        {' '}<code className="muted">{url}</code>
      </figcaption>
    </figure>
  );
}
