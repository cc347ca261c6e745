// Encrypted HLS playback with hls.js (vendored into the jar at build time). Every view asks the
// API for a fresh playback token; when that token expires mid-view (the key or playlist answers
// 401/403), the player asks for a new one and resumes where it was.
import * as api from './api.js';

let hlsLoading = null;

/** Loads vendor/hls.min.js once (a same-origin script: allowed by script-src 'self'). */
function loadHls() {
  if (window.Hls) return Promise.resolve(window.Hls);
  if (!hlsLoading) {
    hlsLoading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'vendor/hls.min.js';
      s.async = true;
      s.addEventListener('load', () => (window.Hls ? resolve(window.Hls) : reject(new Error('hls.js did not load'))));
      s.addEventListener('error', () => {
        hlsLoading = null;
        reject(new Error('The video player could not be loaded.'));
      });
      document.head.appendChild(s);
    });
  }
  return hlsLoading;
}

function httpStatus(data) {
  if (data && data.response && typeof data.response.code === 'number') return data.response.code;
  if (data && data.networkDetails && typeof data.networkDetails.status === 'number') return data.networkDetails.status;
  return 0;
}

/**
 * A player for asset `assetId` on `video`. `onStatus(text)` receives human status lines.
 * `start()` fetches a playback token and attaches the stream; `destroy()` stops everything
 * (safe to call at any time, also while `start()` is still waiting).
 */
export function createPlayer(video, assetId, onStatus) {
  let destroyed = false;
  let hls = null;
  let renewals = [];
  let recoveredMedia = false;

  async function renew(Hls) {
    const now = Date.now();
    renewals = renewals.filter((t) => now - t < 60000);
    if (renewals.length >= 3) return false;
    renewals.push(now);
    const position = video.currentTime;
    const wasPlaying = !video.paused;
    const fresh = await api.assets.playback(assetId);
    if (destroyed || !hls) return true;
    // a new source re-attaches the media element; resume at the same position
    hls.config.startPosition = position;
    hls.once(Hls.Events.MANIFEST_PARSED, () => {
      if (wasPlaying) video.play().catch(() => {});
    });
    hls.loadSource(fresh.masterPlaylistUrl);
    return true;
  }

  async function start() {
    const playback = await api.assets.playback(assetId);
    if (destroyed) return;
    const nativeHls = video.canPlayType('application/vnd.apple.mpegurl') !== '';
    const Hls = await loadHls().catch((err) => {
      if (nativeHls) return null;
      throw err;
    });
    if (destroyed) return;
    if (!Hls || !Hls.isSupported()) {
      // Safari plays AES-128 HLS natively
      if (!nativeHls) throw new Error('This browser cannot play HLS video.');
      video.src = playback.masterPlaylistUrl;
      onStatus('Ready');
      return;
    }
    hls = new Hls({ enableWorker: true, manifestLoadingMaxRetry: 1, keyLoadingMaxRetry: 1 });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (destroyed || !data.fatal) return;
      const status = httpStatus(data);
      if (data.type === Hls.ErrorTypes.NETWORK_ERROR && (status === 401 || status === 403)) {
        onStatus('Renewing the playback token…');
        renew(Hls).then((ok) => {
          if (!ok) onStatus('Playback stopped: access was refused.');
        }).catch(() => onStatus('Playback stopped: access was refused.'));
      } else if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !recoveredMedia) {
        recoveredMedia = true;
        hls.recoverMediaError();
      } else {
        onStatus('Playback failed (' + data.details + ').');
        hls.destroy();
        hls = null;
      }
    });
    hls.on(Hls.Events.MANIFEST_PARSED, () => onStatus('Ready'));
    hls.loadSource(playback.masterPlaylistUrl);
    hls.attachMedia(video);
  }

  function destroy() {
    destroyed = true;
    if (hls) {
      hls.destroy();
      hls = null;
    } else if (video.getAttribute('src')) {
      video.removeAttribute('src');
      video.load();
    }
  }

  return { start, destroy };
}
