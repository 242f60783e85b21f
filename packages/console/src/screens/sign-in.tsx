import { useEffect, useState } from "preact/hooks";
import type { TiffinApi } from "../api/client.js";
import { ApiError, asApiError } from "../api/problem.js";
import type { DemoIdentity } from "../api/types.js";
import { ProblemBanner } from "../components/problem-banner.js";
import { type OidcSettings, beginSignIn, completeSignIn, isSignInCallback } from "../session/oidc.js";
import { readToken } from "../session/token.js";

const ROLE_TITLES: Record<DemoIdentity["role"], string> = { customer: "Customers", restaurant: "Restaurant staff", courier: "Couriers", admin: "Operations" };

/** A failed sign-in with the identity provider, shown like an API problem, with the provider's own error when it sent one. */
function signInFailed(error: unknown): ApiError {
  const { error: code, error_description: description } = (error ?? {}) as { error?: unknown; error_description?: unknown };
  const message = error instanceof Error ? error.message : String(error);
  const said = typeof code === "string" ? ` (the provider said ${code}${typeof description === "string" ? `: ${description}` : ""})` : "";
  return new ApiError(0, "SIGN_IN_FAILED", `${message}${said}`);
}

/**
 * Sign-in: the demo identities an embedded server offers (one click each), the identity provider the server
 * configured (authorization code with PKCE), or a pasted token. The token is kept in memory and this tab's session
 * storage only; the provider's one-time code leaves the address bar as soon as it is exchanged.
 */
export function SignIn({ api, onSignIn }: { api: TiffinApi; onSignIn: (token: string) => void }) {
  const [identities, setIdentities] = useState<DemoIdentity[] | null>(null);
  const [pasted, setPasted] = useState("");
  const [pasteError, setPasteError] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [oidc, setOidc] = useState<OidcSettings | null>(null);

  useEffect(() => {
    api.oidc().then(
      async (settings) => {
        setOidc(settings);
        const here = new URL(window.location.href);
        if (!isSignInCallback(here)) return;
        window.history.replaceState(null, "", `${here.pathname}${here.hash}`);
        try {
          onSignIn(await completeSignIn(settings, sessionStorage, here));
        } catch (failure) {
          setError(signInFailed(failure));
        }
      },
      (failure: unknown) => {
        // 404: no identity provider is configured.
        const problem = asApiError(failure);
        if (problem.status !== 404) setError(problem);
      },
    );
  }, [api]);

  const signInWithProvider = () => {
    if (oidc !== null) beginSignIn(oidc, sessionStorage, window.location).catch((failure: unknown) => setError(signInFailed(failure)));
  };

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
      {oidc === null ? null : (
        <div class="card">
          <h2>Your identity provider</h2>
          <p class="muted">{new URL(oidc.issuer).host}</p>
          <button type="button" class="primary" onClick={signInWithProvider}>
            Sign in with your identity provider
          </button>
        </div>
      )}
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
