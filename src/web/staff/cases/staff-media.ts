import { hasPreview, type MediaLabels, type ViewerImage } from '../../shared/media.tsx';
import { useLanguage } from '../../shared/language.tsx';
import { api } from '../api.ts';

/** The thumbnails' and viewer's strings in the staff app's language. */
export function useMediaLabels(): MediaLabels {
  const { t } = useLanguage();
  return {
    open: (name) => t('media.open', { name }),
    close: t('media.close'),
    previous: t('media.previous'),
    next: t('media.next'),
    download: t('media.download'),
    position: (current, total) => t('media.position', { current: String(current), total: String(total) }),
  };
}

/** The images among documents (those the server previews), with their staff addresses. */
export const staffImages = (documents: ReadonlyArray<{ id: string; fileName: string }>): ViewerImage[] =>
  documents
    .filter((doc) => hasPreview(doc.fileName))
    .map((doc) => ({
      id: doc.id,
      name: doc.fileName,
      thumbnailUrl: api.documents.previewUrl(doc.id, 'thumbnail'),
      displayUrl: api.documents.previewUrl(doc.id, 'display'),
      downloadUrl: api.documents.downloadUrl(doc.id),
    }));
