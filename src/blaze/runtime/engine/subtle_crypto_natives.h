// `__blazeHost.subtle`: the JS face of subtle_crypto.h for runtime/webapi/js/subtle.js.
// Byte arguments are BufferSources (copied), results are new Uint8Arrays of the current realm.
// Every failure throws a plain Error whose message names the cause; the prelude turns it into
// the DOMException the WebCrypto spec names for the operation (DataError, OperationError...).
//   digest(hash, data)                         hmac(hash, key, data)
//   aesGcm(encrypt, key, iv, aad, tagBits, data)   aesCbc(encrypt, key, iv, data)
//   pbkdf2(hash, password, salt, iterations, bits) hkdf(hash, ikm, salt, info, bits)
//   ecdsaSign(hash, pkcs8, data)               ecdsaVerify(hash, spki, data, sig) -> bool
//   rsaPkcs1Sign(hash, pkcs8, data)            rsaPkcs1Verify(hash, spki, data, sig) -> bool
//   generateEc(curve) / generateRsa(bits, e)   -> {pkcs8, spki}
//   ecFromComponents({curve, point, d?}) -> DER ; ecComponents(der, isPrivate) -> {curve, point,
//   d?} rsaFromComponents({n, e, d?, p?, q?, dp?, dq?, qi?}) -> DER rsaComponents(der, isPrivate)
//   -> {n, e, d?, p?..., modulusLength} timingSafeEqual(a, b) -> bool (false for different lengths)
// Engine-internal.
#pragma once

#include <jsapi.h>

namespace blaze::engine {

JSObject* NewSubtleHostObject(JSContext* cx);

}  // namespace blaze::engine
