import { hasPreview, type MediaLabels, type ViewerImage } from '../../shared/media.tsx';
import type { Translate } from './text.ts';

/** The thumbnails' and viewer's strings in the customer page's language. */
export const customerMediaLabels = (t: Translate): MediaLabels => ({
  open: (name) => t('customer.media.open', { name }),
  close: t('customer.media.close'),
  previous: t('customer.media.previous'),
  next: t('customer.media.next'),
  download: t('customer.media.download'),
  position: (current, total) => t('customer.media.position', { current, total }),
});

/**
 * The images among files the page shows: their previews live beside their download
 * (`…/download` → `…/thumbnail`, `…/display`), behind the same check on the server.
 */
export const customerImages = (
  files: ReadonlyArray<{ id: string; name: string; url: string }>,
): ViewerImage[] =>
  files
    .filter((file) => hasPreview(file.name))
    .map((file) => ({
      id: file.id,
      name: file.name,
      thumbnailUrl: file.url.replace(/\/download$/, '/thumbnail'),
      displayUrl: file.url.replace(/\/download$/, '/display'),
      downloadUrl: file.url,
    }));
