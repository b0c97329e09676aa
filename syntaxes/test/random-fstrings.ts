// Seeded random f-string expressions for the grammar's fuzz test: mostly well-formed nestings of
// f-strings, strings, dicts, lambdas and comments, salted with lone braces, quotes and backslashes.

export class SampleRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  below(n: number): number {
    this.state = (Math.imul(this.state, 1103515245) + 12345) >>> 0;
    return (this.state >>> 8) % n;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }
}

const literalPieces = ["a", " ", "é", "\\{", "\\}", "\\n", "\\\\", '\\"', "\\q", "}", "\\\n", "#"];
const stringPieces = ["a", " ", "{", "}", "\\\\", '\\"', "\\{", "\\}", "#", "\\\n"];
const codePieces = ["x", " ", "1", " + ", "if", "fn(a) ", "[", "]", ", ", ":", "\n", "length(", ")"];
const noise = ['"', "{", "}", "\\", "#", 'f"'];

export function randomFString(random: SampleRandom, depth = 0): string {
  let out = 'f"';
  for (let n = random.below(5); n > 0; n--) {
    out += random.below(3) === 0 && depth < 3 ? `{${randomCode(random, depth + 1)}}` : random.pick(literalPieces);
  }
  return out + '"';
}

function randomCode(random: SampleRandom, depth: number): string {
  let out = "";
  for (let n = 1 + random.below(4); n > 0; n--) {
    switch (random.below(8)) {
      case 0:
        out += depth < 3 ? randomFString(random, depth) : "x";
        break;
      case 1:
        out += '"' + Array.from({ length: random.below(4) }, () => random.pick(stringPieces)).join("") + '"';
        break;
      case 2:
        out += depth < 3 ? `{${randomCode(random, depth + 1)}}` : "{}";
        break;
      case 3:
        out += "# " + random.pick(stringPieces) + "\n";
        break;
      case 4:
        out += random.pick(noise);
        break;
      default:
        out += random.pick(codePieces);
    }
  }
  return out;
}
