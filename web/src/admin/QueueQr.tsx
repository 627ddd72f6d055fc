/** The queue's link as a QR code to print at the door: people scan it and land on that queue's form. */
import { renderSVG } from 'uqr';
import type { Translate } from '../shared/i18n.js';

export function QueueQr({ queueId, name, t }: { queueId: string; name: string; t: Translate }) {
  const link = `${location.origin}/?queue=${encodeURIComponent(queueId)}`;
  // An image from a data: URL keeps the SVG out of the page's DOM (and within its CSP: img-src data:).
  const image = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(link, { border: 2 }))}`;
  return (
    <details class="qr">
      <summary>{t('queue.qr')}</summary>
      <figure>
        <img src={image} width={180} height={180} alt={t('queue.qrAlt', { name })} data-testid="queue-qr" />
        <figcaption>
          <code>{link}</code>
        </figcaption>
      </figure>
    </details>
  );
}
