// Preloaded into the app by the hostile benchmark (`node --import ./bench/loop-delay-probe.mjs
// bin/rcenter.js serve`), never by the service itself: it measures the event loop's delay with
// perf_hooks.monitorEventLoopDelay and, on SIGUSR2, writes what it saw since the last signal to
// the file named by RC_BENCH_LOOP_FILE (one JSON object with a sequence number), then resets.
import fs from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.RC_BENCH_LOOP_FILE;
if (file) {
  const RESOLUTION_MS = 10;
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  let sequence = 0;
  process.on('SIGUSR2', () => {
    sequence++;
    // The histogram holds the time between the timer's turns; the delay is what exceeds its period.
    const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
    const figures = {
      sequence,
      samples: histogram.count,
      p50: ms(histogram.percentile(50)),
      p99: ms(histogram.percentile(99)),
      max: ms(histogram.max),
    };
    histogram.reset();
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(figures));
    fs.renameSync(`${file}.tmp`, file);
  });
}
