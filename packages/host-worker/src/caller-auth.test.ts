import { describe, expect, it } from "vitest";
import { TASK_SECRET_HEADER, taskCallerAuth } from "./caller-auth.js";

const SECRET = "a-task-secret-of-at-least-32-characters";

describe("who may call POST /tasks/tick", () => {
  it("nobody, when no caller is configured", async () => {
    const auth = taskCallerAuth({});
    expect(await auth({})).toMatchObject({ ok: false, status: 401, code: "UNAUTHENTICATED" });
    expect(await auth({ [TASK_SECRET_HEADER]: SECRET })).toMatchObject({ ok: false, status: 403 });
    expect(await auth({ authorization: "Bearer a.b.c" })).toMatchObject({ ok: false, status: 401 });
  });

  it("the holder of the shared secret, and no one with another", async () => {
    const auth = taskCallerAuth({ taskSecret: SECRET });
    expect(await auth({ [TASK_SECRET_HEADER]: SECRET })).toEqual({ ok: true, caller: "shared secret" });
    expect(await auth({ [TASK_SECRET_HEADER]: `${SECRET}x` })).toMatchObject({ ok: false, status: 403, code: "FORBIDDEN" });
    expect(await auth({ [TASK_SECRET_HEADER]: "" })).toMatchObject({ ok: false, status: 403 });
    expect(await auth({})).toMatchObject({ ok: false, status: 401 });
  });
});
