import { useEffect, useState } from 'react';

/** What the dashboard needs of its output stream to fit it: the size, and a resize event. */
export interface SizedStream {
  columns?: number;
  rows?: number;
  on(event: 'resize', listener: () => void): unknown;
  off(event: 'resize', listener: () => void): unknown;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(stream: SizedStream): TerminalSize {
  const read = () => ({ columns: stream.columns ?? 80, rows: stream.rows ?? 24 });
  const [size, setSize] = useState<TerminalSize>(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stream.on('resize', onResize);
    return () => void stream.off('resize', onResize);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stream]);
  return size;
}
