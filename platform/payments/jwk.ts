// A public key in JSON Web Key form (RFC 7517), as WebCrypto imports it on the phone.
export type PublicJwk = { kty: string; n?: string; e?: string; alg?: string; use?: string; [member: string]: unknown };
