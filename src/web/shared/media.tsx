import { useLayoutEffect, useRef, useState } from 'react';
import './media.css';

/**
 * Thumbnails of image files and the viewer they open, for the staff app and the customer page alike
 * (React only, so the customer bundle stays small; each app passes its own strings and addresses).
 * An upload's extension always matches its sniffed type (server: storage/file-types.ts), so the
 * file name tells whether the server has a preview for it.
 */

const PREVIEW_EXTENSIONS = /\.(jpe?g|png|webp|gif|heic|heif)$/i;

/** Whether the server makes a thumbnail and a display image of a file with this name. */
export const hasPreview = (fileName: string): boolean => PREVIEW_EXTENSIONS.test(fileName);

/** One image the viewer can show. */
export interface ViewerImage {
  id: string;
  name: string;
  thumbnailUrl: string;
  displayUrl: string;
  downloadUrl: string;
}

/** The strings of the thumbnails and the viewer, in the app's language. */
export interface MediaLabels {
  /** The accessible name of a thumbnail button, e.g. "Vis bildet IMG_0001.HEIC". */
  open: (name: string) => string;
  close: string;
  previous: string;
  next: string;
  download: string;
  /** "2 av 5". */
  position: (current: number, total: number) => string;
}

/**
 * A row of thumbnails; pressing one (click, tap, Enter or Space) opens the viewer on it. A
 * thumbnail the server cannot make (an image that cannot be decoded) hides itself: the file is still
 * listed by name where the caller lists it.
 */
export function Thumbnails({
  images,
  labels,
  className,
}: {
  images: ViewerImage[];
  labels: MediaLabels;
  className?: string;
}) {
  const [failed, setFailed] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<number | null>(null);
  const shown = images.filter((image) => !failed.has(image.id));
  if (shown.length === 0) return null;
  return (
    <>
      <ul className={className ? `media-thumbnails ${className}` : 'media-thumbnails'}>
        {shown.map((image, index) => (
          <li key={image.id}>
            <button
              type="button"
              className="media-thumbnail"
              aria-label={labels.open(image.name)}
              onClick={() => setOpen(index)}
            >
              <img
                src={image.thumbnailUrl}
                alt=""
                loading="lazy"
                decoding="async"
                onError={() => setFailed((before) => new Set(before).add(image.id))}
              />
            </button>
          </li>
        ))}
      </ul>
      {open !== null && shown[open] && (
        <ImageViewer
          images={shown}
          index={open}
          onIndex={setOpen}
          onClose={() => setOpen(null)}
          labels={labels}
        />
      )}
    </>
  );
}

/**
 * A modal viewer on the native <dialog>: the larger image with its file name as alt text and
 * heading, previous/next (buttons and the arrow keys) when there are several, a download link of the
 * original. Escape or Close closes it and focus returns to the thumbnail that opened it.
 */
export function ImageViewer({
  images,
  index,
  onIndex,
  onClose,
  labels,
}: {
  images: ViewerImage[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
  labels: MediaLabels;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const image = images[index];
  const several = images.length > 1;
  const go = (step: number) => onIndex((index + step + images.length) % images.length);
  // A layout effect, so the dialog is closed (the page stops being inert) before focus goes back.
  useLayoutEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (dialog?.open) dialog.close();
      opener?.focus();
    };
  }, []);
  if (!image) return null;
  return (
    <dialog
      ref={ref}
      className="media-viewer"
      aria-label={image.name}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onKeyDown={(event) => {
        if (!several) return;
        if (event.key === 'ArrowRight') go(1);
        else if (event.key === 'ArrowLeft') go(-1);
      }}
    >
      <div className="media-viewer-header">
        <h2 className="media-viewer-title">{image.name}</h2>
        <button type="button" className="media-viewer-button" onClick={onClose}>
          {labels.close}
        </button>
      </div>
      <div className="media-viewer-image">
        <img key={image.id} src={image.displayUrl} alt={image.name} />
      </div>
      <div className="media-viewer-footer">
        {several && (
          <button type="button" className="media-viewer-button" onClick={() => go(-1)}>
            {labels.previous}
          </button>
        )}
        {several && (
          <span className="media-viewer-position" aria-live="polite">
            {labels.position(index + 1, images.length)}
          </span>
        )}
        {several && (
          <button type="button" className="media-viewer-button" onClick={() => go(1)}>
            {labels.next}
          </button>
        )}
        <a className="media-viewer-button" href={image.downloadUrl} download={image.name}>
          {labels.download}
        </a>
      </div>
    </dialog>
  );
}
