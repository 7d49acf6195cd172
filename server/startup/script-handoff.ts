// `npm start` launches the server before PostgreSQL and Redis are up, so that loading its modules (the longest part of
// a warm start) overlaps with theirs. Once they are, the script writes on the server's stdin `KEY=value` lines (the
// services' URLs, `steps=` its own step times), then `end`.

/** What the start script handed over: config overrides and its steps' times. */
export interface Handoff {
  env: Record<string, string>;
  steps?: string;
}

/** Reads the handoff from stdin; undefined when stdin closes before `end` (the script stopped first). */
export async function readHandoff(input: NodeJS.ReadableStream = process.stdin): Promise<Handoff | undefined> {
  const handoff: Handoff = { env: {} };
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    const lines = text.split('\n');
    text = lines.pop()!;
    for (const line of lines) {
      if (line === 'end') return handoff;
      const eq = line.indexOf('=');
      if (eq <= 0) continue;
      const [key, value] = [line.slice(0, eq), line.slice(eq + 1)];
      if (key === 'steps') handoff.steps = value;
      else handoff.env[key] = value;
    }
  }
  return undefined;
}
