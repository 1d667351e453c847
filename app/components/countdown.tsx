import { useEffect, useState } from "react";

/**
 * The time left to a deadline, computed from the server's clock: the page carries the server's "now",
 * and the browser only advances it by the time elapsed since the page loaded, so a wrong clock on the
 * user's computer changes nothing.
 */
export function Countdown({ deadline, serverNow, label }: { deadline: string; serverNow: string; label: string }) {
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    const loadedAt = performance.now();
    const timer = setInterval(() => setElapsed(performance.now() - loadedAt), 30_000);
    return () => clearInterval(timer);
  }, []);
  const remaining = Date.parse(deadline) - (Date.parse(serverNow) + elapsed);
  const text = remaining <= 0 ? "已截止" : remainingText(remaining);
  return (
    <span className={`countdown${remaining <= 0 ? " countdown--closed" : ""}`}>
      {label}：<time dateTime={deadline}>{formatBeijing(deadline)}</time>（{text}）
    </span>
  );
}

export function remainingText(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `剩余 ${days} 天 ${hours} 小时`;
  return `剩余 ${hours} 小时 ${minutes % 60} 分钟`;
}

/** "2022-12-20 23:59" in Beijing time, whatever the browser's zone. */
export function formatBeijing(iso: string): string {
  const shifted = new Date(Date.parse(iso) + 8 * 3600_000).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)}`;
}
