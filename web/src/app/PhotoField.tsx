/**
 * Photos for a form: take them with the phone's camera (or pick them), shrink them to a JPEG of at most
 * 1600 px on a canvas, and keep them as data URLs until the form is sent, so that they survive in a draft
 * (see offline.ts useDraft) while the network is down. `uploadPhotos` then sends the new ones to
 * POST /api/files and gives back every file id.
 *
 *   <Form.Item name="photos"><PhotoField unitId={unitId} max={9} /></Form.Item>
 *   const fileIds = await uploadPhotos(values.photos ?? [], unitId);
 */
import { useRef, useState, type CSSProperties, type ChangeEvent } from 'react';
import { App, Image, Spin } from 'antd';
import { CameraOutlined, CloseOutlined, PictureOutlined } from '@ant-design/icons';
import type { StoredFile } from '@dudao/contracts';
import { ApiError, csrfHeader } from './api.ts';
import { useI18n } from './i18n.tsx';
import { useIsMobile } from './responsive.ts';

/** A photo in a form: `id` once uploaded (or an existing file), `dataUrl` while only on this device. */
export interface PhotoValue {
  id?: string;
  dataUrl?: string;
  name: string;
}

export const PHOTO_MAX_SIDE = 1600;
const JPEG_QUALITY = 0.8;

/** The address a photo shows from. */
export function photoSrc(photo: PhotoValue): string {
  return photo.dataUrl ?? (photo.id ? `/api/files/${photo.id}` : '');
}

async function decode(file: Blob): Promise<{ source: CanvasImageSource; width: number; height: number }> {
  if (typeof createImageBitmap === 'function') {
    try {
      const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
      return { source: bitmap, width: bitmap.width, height: bitmap.height };
    } catch {
      // fall back to an <img> (older Safari)
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new window.Image();
    img.decoding = 'async';
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('decode'));
      img.src = url;
    });
    return { source: img, width: img.naturalWidth, height: img.naturalHeight };
  } finally {
    // the image keeps its decoded pixels; the canvas draws it below before this URL matters again
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Shrinks an image so that its longer side is at most `maxSide` px and encodes it as a JPEG data URL. */
export async function compressImage(
  file: Blob,
  maxSide = PHOTO_MAX_SIDE,
  quality = JPEG_QUALITY,
): Promise<string> {
  const { source, width, height } = await decode(file);
  if (!width || !height) throw new Error('decode');
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('canvas');
  // JPEG has no transparency: PNG screenshots get a white background instead of black
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.drawImage(source, 0, 0, w, h);
  if (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap) source.close();
  return canvas.toDataURL('image/jpeg', quality);
}

function jpegName(name: string): string {
  const base = name.replace(/\.[^./\\]+$/, '').trim() || 'photo';
  return `${base}.jpg`;
}

function dataUrlToBlob(dataUrl: string): Blob {
  const comma = dataUrl.indexOf(',');
  const meta = dataUrl.slice(0, comma);
  const body = dataUrl.slice(comma + 1);
  const type = /^data:([^;,]+)/.exec(meta)?.[1] ?? 'application/octet-stream';
  if (!meta.endsWith(';base64')) return new Blob([decodeURIComponent(body)], { type });
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}

/** POST /api/files?unitId= with the raw bytes; → the stored file. Network failures throw ApiError NETWORK. */
export async function uploadFile(blob: Blob, name: string, unitId: string): Promise<StoredFile> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'content-type': 'application/octet-stream',
    'x-file-name': encodeURIComponent(name),
    'accept-language': document.documentElement.lang === 'en' ? 'en' : 'zh-CN',
    ...csrfHeader(),
  };
  let response: Response;
  try {
    response = await fetch(`/api/files?unitId=${encodeURIComponent(unitId)}`, {
      method: 'POST',
      headers,
      credentials: 'same-origin',
      body: blob,
    });
  } catch {
    const en = document.documentElement.lang === 'en';
    throw new ApiError(
      0,
      'NETWORK',
      en ? 'Cannot reach the server. Check the network and try again.' : '无法连接服务器，请检查网络后重试。',
    );
  }
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    body = text;
  }
  if (!response.ok) {
    const b = (typeof body === 'object' && body !== null ? body : {}) as {
      code?: unknown;
      message?: unknown;
    };
    throw new ApiError(
      response.status,
      typeof b.code === 'string' ? b.code : `HTTP_${response.status}`,
      typeof b.message === 'string' ? b.message : `HTTP ${response.status}`,
    );
  }
  return body as StoredFile;
}

/**
 * Uploads the photos that have no id yet (to the given unit) and returns the ids of all of them, in
 * order. Photos already uploaded are not sent again. Throws the first failure (ApiError).
 */
export async function uploadPhotos(
  values: readonly PhotoValue[] | undefined,
  unitId: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const photo of values ?? []) {
    if (photo.id) {
      ids.push(photo.id);
      continue;
    }
    if (!photo.dataUrl) continue;
    const stored = await uploadFile(dataUrlToBlob(photo.dataUrl), photo.name, unitId);
    ids.push(stored.id);
  }
  return ids;
}

/** Stored files (an event's or a finding's) as photos for a read-only PhotoField or a gallery. */
export function filesToPhotos(files: readonly { id: string; name: string }[]): PhotoValue[] {
  return files.map((f) => ({ id: f.id, name: f.name }));
}

export interface PhotoFieldProps {
  value?: PhotoValue[];
  onChange?: (value: PhotoValue[]) => void;
  /** The unit the photos will be filed under (uploadPhotos takes it again when the form is sent). */
  unitId?: string;
  /** At most this many photos (default 9). */
  max?: number;
  disabled?: boolean;
  /** Shows the photos only. */
  readOnly?: boolean;
}

const SIZE = 88;
const styles = {
  field: { display: 'flex', flexWrap: 'wrap', gap: 8 },
  item: {
    position: 'relative',
    width: SIZE,
    height: SIZE,
    borderRadius: 6,
    overflow: 'hidden',
    border: '1px solid #d9d9d9',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    background: '#fafafa',
  },
  remove: {
    position: 'absolute',
    top: 2,
    right: 2,
    width: 24,
    height: 24,
    border: 0,
    borderRadius: 12,
    background: 'rgba(0,0,0,0.55)',
    color: '#fff',
    cursor: 'pointer',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: 0,
    fontSize: 12,
  },
  add: {
    width: SIZE,
    height: SIZE,
    borderRadius: 6,
    border: '1px dashed #bfbfbf',
    background: '#fafafa',
    color: 'rgba(0,0,0,0.65)',
    cursor: 'pointer',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: 4,
    fontSize: 13,
    padding: 0,
  },
  addIcon: { fontSize: 22 },
  // not the `hidden` attribute: a stylesheet's display rule for inputs would show it again
  input: { display: 'none' },
} satisfies Record<string, CSSProperties>;

const TEXT = {
  camera: ['拍照', 'Take photo'],
  album: ['相册', 'Gallery'],
  add: ['添加照片', 'Add photo'],
  remove: ['删除照片', 'Remove photo'],
  notImage: ['无法读取该图片，请换一张（JPEG/PNG）', 'Cannot read this image; try another (JPEG/PNG)'],
  tooMany: ['最多 {n} 张照片', 'At most {n} photos'],
  none: ['无照片', 'No photos'],
} as const;

export function PhotoField({ value, onChange, max = 9, disabled, readOnly }: PhotoFieldProps) {
  const { lang } = useI18n();
  const { message } = App.useApp();
  const mobile = useIsMobile();
  const camera = useRef<HTMLInputElement>(null);
  const album = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(0);
  const photos = value ?? [];
  const tr = (key: keyof typeof TEXT, vars?: Record<string, number>) => {
    const text: string = TEXT[key][lang === 'zh' ? 0 : 1];
    return vars ? text.replace(/\{(\w+)\}/g, (w, k: string) => String(vars[k] ?? w)) : text;
  };

  // the latest value, for photos that finish compressing one after another
  const latest = useRef(photos);
  latest.current = photos;

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const input = event.target;
    const files = Array.from(input.files ?? []);
    input.value = '';
    if (files.length === 0) return;
    const room = max - latest.current.length - busy;
    if (files.length > room) void message.warning(tr('tooMany', { n: max }));
    const chosen = files.slice(0, Math.max(0, room));
    setBusy((n) => n + chosen.length);
    for (const file of chosen) {
      try {
        const dataUrl = await compressImage(file);
        const next = [...latest.current, { dataUrl, name: jpegName(file.name) }];
        latest.current = next;
        onChange?.(next);
      } catch {
        void message.error(tr('notImage'));
      } finally {
        setBusy((n) => n - 1);
      }
    }
  };

  const remove = (index: number) => {
    const next = latest.current.filter((_, i) => i !== index);
    latest.current = next;
    onChange?.(next);
  };

  if (readOnly && photos.length === 0) return <span className="photo-field-none">{tr('none')}</span>;

  const canAdd = !readOnly && !disabled && photos.length + busy < max;

  return (
    <div className="photo-field" style={styles.field}>
      <Image.PreviewGroup>
        {photos.map((photo, index) => (
          <div className="photo-field-item" style={styles.item} key={photo.id ?? `${index}-${photo.name}`}>
            <Image
              src={photoSrc(photo)}
              alt={photo.name}
              width={SIZE}
              height={SIZE}
              style={{ objectFit: 'cover' }}
            />
            {!readOnly && !disabled ? (
              <button
                type="button"
                className="photo-field-remove"
                style={styles.remove}
                aria-label={tr('remove')}
                title={tr('remove')}
                onClick={() => remove(index)}
              >
                <CloseOutlined />
              </button>
            ) : null}
          </div>
        ))}
      </Image.PreviewGroup>
      {Array.from({ length: busy }, (_, i) => (
        <div className="photo-field-item photo-field-busy" style={styles.item} key={`busy-${i}`}>
          <Spin size="small" />
        </div>
      ))}
      {canAdd ? (
        <>
          <button
            type="button"
            className="photo-field-add"
            style={styles.add}
            disabled={disabled}
            onClick={() => camera.current?.click()}
          >
            <CameraOutlined style={styles.addIcon} />
            <span>{mobile ? tr('camera') : tr('add')}</span>
          </button>
          {mobile ? (
            <button
              type="button"
              className="photo-field-add"
              style={styles.add}
              onClick={() => album.current?.click()}
            >
              <PictureOutlined style={styles.addIcon} />
              <span>{tr('album')}</span>
            </button>
          ) : null}
          <input
            ref={camera}
            type="file"
            accept="image/*"
            capture="environment"
            multiple={!mobile}
            style={styles.input}
            onChange={(e) => void onFiles(e)}
          />
          <input
            ref={album}
            type="file"
            accept="image/*"
            multiple
            style={styles.input}
            onChange={(e) => void onFiles(e)}
          />
        </>
      ) : null}
    </div>
  );
}
