/**
 * ffmpeg arguments for a test-pattern camera: 160x120 at 5 fps, H.264 with yuv420p (so browsers
 * can play it), a keyframe every second, published as FLV (RTMP) to `target`. Cheap on the CPU.
 */
export function testPatternArgs(target: string): string[] {
  return [
    '-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5',
    '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-g', '5', '-f', 'flv', target,
  ];
}
