/** Whether a request URL is the console's: never indexed, and its errors shown as console pages. */
export function isConsolePath(url: string): boolean {
  return url === '/staff' || url.startsWith('/staff/') || url.startsWith('/staff?');
}
