import crypto from 'node:crypto';

/**
 * A PostgreSQL SCRAM-SHA-256 password verifier, made here so the password itself never reaches the
 * server (nor its log of statements), the way psql's \password does. The password is hashed as the
 * `pg` client sends it (its UTF-8 bytes, without SASLprep).
 */
export function scramVerifier(password: string, iterations = 4096, salt: Buffer = crypto.randomBytes(16)): string {
  const salted = crypto.pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
