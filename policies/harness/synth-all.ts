// Prints every stack's program once, in sequence, before the tests run (see synth.ts).
import { STACKS, synthToFile } from "./synth";

for (const stack of STACKS) synthToFile(stack);
console.log(`synthesized ${STACKS.join(", ")}`);
