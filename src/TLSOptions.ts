/**
 * TLS settings for `wss://` WebSockets and `https://` requests (client side) and for
 * `wss` servers (server side).
 *
 * Ports Godot 4's `TLSOptions`. Deviation: Godot takes `X509Certificate` and
 * `CryptoKey` objects; gdnet takes their PEM text (what `save_to_string()` gives in
 * Godot), so a certificate file's contents can be passed as they are. In browsers the
 * browser's own trust store decides and these options are ignored (as in Godot's web
 * export).
 */
export class TLSOptions {
  readonly #server: boolean;
  readonly #unsafe: boolean;
  readonly #trustedCaChain: string | null;
  readonly #commonNameOverride: string;
  readonly #privateKey: string | null;
  readonly #ownCertificate: string | null;

  private constructor(fields: {
    server: boolean;
    unsafe: boolean;
    trustedCaChain: string | null;
    commonNameOverride: string;
    privateKey: string | null;
    ownCertificate: string | null;
  }) {
    this.#server = fields.server;
    this.#unsafe = fields.unsafe;
    this.#trustedCaChain = fields.trustedCaChain;
    this.#commonNameOverride = fields.commonNameOverride;
    this.#privateKey = fields.privateKey;
    this.#ownCertificate = fields.ownCertificate;
  }

  /**
   * Client options that verify the server. `trustedChain` (PEM, one or more
   * certificates) replaces the default trust store, so a self-signed certificate or a
   * private CA can be trusted; `commonNameOverride` checks the certificate against
   * this name instead of the URL's host. Ports `TLSOptions.client`.
   */
  static client(trustedChain: string | null = null, commonNameOverride = ""): TLSOptions {
    return new TLSOptions({
      server: false,
      unsafe: false,
      trustedCaChain: trustedChain,
      commonNameOverride,
      privateKey: null,
      ownCertificate: null,
    });
  }

  /**
   * Client options that do **not** verify the server (for development only).
   * Ports `TLSOptions.client_unsafe`.
   */
  static clientUnsafe(trustedChain: string | null = null): TLSOptions {
    return new TLSOptions({
      server: false,
      unsafe: true,
      trustedCaChain: trustedChain,
      commonNameOverride: "",
      privateKey: null,
      ownCertificate: null,
    });
  }

  /**
   * Server options: the private key and certificate chain, both PEM.
   * Ports `TLSOptions.server`.
   */
  static server(key: string, certificate: string): TLSOptions {
    return new TLSOptions({
      server: true,
      unsafe: false,
      trustedCaChain: null,
      commonNameOverride: "",
      privateKey: key,
      ownCertificate: certificate,
    });
  }

  /** Whether these are server options. Ports `TLSOptions.is_server`. */
  isServer(): boolean {
    return this.#server;
  }

  /** Whether these are client options that skip verification. Ports `TLSOptions.is_unsafe_client`. */
  isUnsafeClient(): boolean {
    return this.#unsafe;
  }

  /** The trusted CA chain (PEM), or `null` for the default trust store. Ports `get_trusted_ca_chain`. */
  getTrustedCaChain(): string | null {
    return this.#trustedCaChain;
  }

  /** The name the server certificate is checked against, if not the host. Ports `get_common_name_override`. */
  getCommonNameOverride(): string {
    return this.#commonNameOverride;
  }

  /** The server's private key (PEM). Ports `TLSOptions.get_private_key`. */
  getPrivateKey(): string | null {
    return this.#privateKey;
  }

  /** The server's certificate chain (PEM). Ports `TLSOptions.get_own_certificate`. */
  getOwnCertificate(): string | null {
    return this.#ownCertificate;
  }
}
