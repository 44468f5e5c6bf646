import { PolicyEngine } from "../harness/engine";
import { envConfig, judge, lines } from "../harness/judge";
import { synth } from "../harness/synth";
(async () => {
  const engine = await PolicyEngine.start();
  try {
    for (const [stack, env] of [["dev", "dev"], ["staging", "staging"], ["prod", "prod"], ["account-prod", "prod"], ["account-nonprod", "staging"]]) {
      for (const mode of ["update", "preview"] as const) {
        console.log(`== ${stack} ${mode}`);
        console.log(lines(await judge(engine, synth(stack), stack, envConfig(env), mode)).join("\n"));
      }
    }
    console.log("== prod with dev config");
    console.log(lines(await judge(engine, synth("prod"), "prod", envConfig("dev"))).join("\n"));
  } finally { engine.stop(); }
})();
