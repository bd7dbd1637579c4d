/**
 * Saves a CSV the panel fetched itself (admin-api needs the auth headers, so a plain link cannot
 * download it). Inside the admin iframe this needs the menu's `allow-downloads` sandbox flag.
 */
export function saveFile(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
