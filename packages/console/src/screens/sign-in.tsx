import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { type ApiError, asApiError } from "../api/problem.js";
import type { DemoIdentity } from "../api/types.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { readToken } from "../session/token.js";

const ROLE_TITLES: Record<DemoIdentity["role"], string> = { customer: "Customers", restaurant: "Restaurant staff", courier: "Couriers", admin: "Operations" };

/**
 * Sign-in: the demo identities an embedded server offers (one click each), or a pasted token. The token is kept
 * in memory and this tab's session storage only.
 */
export function SignIn({ api, onSignIn }: { api: TiffinApi; onSignIn: (token: string) => void }) {
  const [identities, setIdentities] = useState<DemoIdentity[] | null>(null);
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    api.identities().then(
      (answer) => setIdentities(answer.items),
      (failure: unknown) => {
        const problem = asApiError(failure);
        // 404: this server offers no demo identities (a server database); pasting a token is the way in.
        if (problem.status !== 404) setError(problem);
        setIdentities([]);
      },
    );
  }, [api]);

  const submit = (event: Event) => {
    event.preventDefault();
    const read = readToken(pasted);
    if (!read.ok) return setPasteError(read.reason);
    onSignIn(pasted);
  };

  const roles = (["customer", "restaurant", "courier", "admin"] as const).filter((role) => identities?.some((i) => i.role === role));
  return (
    <section class="sign-in">
      <h1>Sign in</h1>
      <ProblemBanner error={error} />
      {identities === null ? <p class="muted">Looking for demo identities…</p> : null}
      {roles.length > 0 ? (
        <>
          <p class="lead">This server runs embedded with demo data: pick who you are. Open a second window to play another part.</p>
          <div class="identity-grid">
            {roles.map((role) => (
              <div class="card" key={role}>
                <h2>{ROLE_TITLES[role]}</h2>
                <ul class="plain">
                  {identities
                    ?.filter((i) => i.role === role)
                    .map((identity) => (
                      <li key={identity.sub + (identity.restaurantId ?? "")}>
                        <button type="button" class={`identity role-${role}`} onClick={() => onSignIn(identity.token)}>
                          {identity.label}
                        </button>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </div>
        </>
      ) : null}
      <form class="card paste" onSubmit={submit}>
        <h2>Use a token</h2>
        <label for="token">Bearer token (from your identity provider, or `tiffin token --role R --sub S`)</label>
        <textarea id="token" rows={3} value={pasted} onInput={(e) => setPasted((e.target as HTMLTextAreaElement).value)} spellcheck={false} />
        {pasteError === null ? null : (
          <p class="field-error" role="alert">
            {pasteError}
          </p>
        )}
        <button type="submit" class="primary">
          Sign in with this token
        </button>
      </form>
    </section>
  );
}
