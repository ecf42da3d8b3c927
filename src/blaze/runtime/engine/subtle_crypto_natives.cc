#include "blaze/runtime/engine/subtle_crypto_natives.h"

#include <js/Conversions.h>
#include <js/PropertyAndElement.h>

#include <cmath>
#include <exception>
#include <new>

#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/subtle_crypto.h"

namespace blaze::engine {
namespace {

using subtle::Bytes;


// Reads the arguments by index; the first failure sets a pending exception.
class Args {
 public:
  Args(JSContext* cx, JS::CallArgs& args) : cx_(cx), args_(args) {}
  bool Buffer(unsigned i, subtle::Bytes* out) {
    if (args_.get(i).isNullOrUndefined()) return true;  // empty
    if (CopyBufferSource(args_.get(i), out)) return true;
    return ThrowError(cx_, JSEXN_TYPEERR,
                      "subtle: argument " + std::to_string(i) + " must be a BufferSource");
  }
  bool String(unsigned i, std::string* out) {
    *out = ValueToUtf8(cx_, args_.get(i));
    return true;
  }
  bool Uint(unsigned i, uint32_t* out) {
    double d = 0;
    if (!JS::ToNumber(cx_, args_.get(i), &d)) return false;
    if (!std::isfinite(d) || d < 0 || d > 4294967295.0 || std::floor(d) != d)
      return ThrowError(cx_, JSEXN_RANGEERR, "subtle: expected an unsigned integer");
    *out = static_cast<uint32_t>(d);
    return true;
  }

 private:
  JSContext* cx_;
  JS::CallArgs& args_;
};

bool ThrowResult(JSContext* cx, const Error& error) {
  return ThrowError(cx, JSEXN_ERR, error.message());
}

bool ReturnBytes(JSContext* cx, JS::CallArgs& args, const Result<Bytes>& r) {
  if (!r) return ThrowResult(cx, r.error());
  JSObject* array = NewUint8Array(cx, *r);
  if (!array) return false;
  args.rval().setObject(*array);
  return true;
}

bool ReturnBool(JSContext* cx, JS::CallArgs& args, const Result<bool>& r) {
  if (!r) return ThrowResult(cx, r.error());
  args.rval().setBoolean(*r);
  return true;
}

bool SetBytes(JSContext* cx, JS::HandleObject obj, const char* name, const Bytes& bytes) {
  JS::RootedObject array(cx, NewUint8Array(cx, bytes));
  return array && JS_DefineProperty(cx, obj, name, array, JSPROP_ENUMERATE);
}

bool GetBytes(JSContext* cx, JS::HandleObject obj, const char* name, Bytes* out) {
  JS::RootedValue v(cx);
  if (!JS_GetProperty(cx, obj, name, &v)) return false;
  if (v.isNullOrUndefined()) return true;
  if (CopyBufferSource(v, out)) return true;
  return ThrowError(cx, JSEXN_TYPEERR, std::string("subtle: '") + name + "' must be bytes");
}

bool Digest(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes data;
  if (!a.String(0, &hash) || !a.Buffer(1, &data)) return false;
  return ReturnBytes(cx, args, subtle::Digest(hash, data));
}

bool Hmac(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes key, data;
  if (!a.String(0, &hash) || !a.Buffer(1, &key) || !a.Buffer(2, &data)) return false;
  return ReturnBytes(cx, args, subtle::Hmac(hash, key, data));
}

subtle::Direction DirectionOf(const JS::CallArgs& args) {
  return JS::ToBoolean(args.get(0)) ? subtle::Direction::kEncrypt : subtle::Direction::kDecrypt;
}

bool AesGcm(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  Bytes key, iv, aad, data;
  uint32_t tag_bits = 0;
  if (!a.Buffer(1, &key) || !a.Buffer(2, &iv) || !a.Buffer(3, &aad) || !a.Uint(4, &tag_bits) ||
      !a.Buffer(5, &data))
    return false;
  return ReturnBytes(cx, args,
                     subtle::AesGcm(DirectionOf(args), key, iv, aad,
                                    static_cast<int>(std::min(tag_bits, 1024u)), data));
}

bool AesCbc(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  Bytes key, iv, data;
  if (!a.Buffer(1, &key) || !a.Buffer(2, &iv) || !a.Buffer(3, &data)) return false;
  return ReturnBytes(cx, args, subtle::AesCbc(DirectionOf(args), key, iv, data));
}

bool Pbkdf2(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes password, salt;
  uint32_t iterations = 0, bits = 0;
  if (!a.String(0, &hash) || !a.Buffer(1, &password) || !a.Buffer(2, &salt) ||
      !a.Uint(3, &iterations) || !a.Uint(4, &bits))
    return false;
  return ReturnBytes(cx, args, subtle::Pbkdf2(hash, password, salt, iterations, bits));
}

bool Hkdf(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes ikm, salt, info;
  uint32_t bits = 0;
  if (!a.String(0, &hash) || !a.Buffer(1, &ikm) || !a.Buffer(2, &salt) || !a.Buffer(3, &info) ||
      !a.Uint(4, &bits))
    return false;
  return ReturnBytes(cx, args, subtle::Hkdf(hash, ikm, salt, info, bits));
}

template <Result<Bytes> (*Sign)(std::string_view, std::string_view, std::string_view)>
bool SignNative(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes key, data;
  if (!a.String(0, &hash) || !a.Buffer(1, &key) || !a.Buffer(2, &data)) return false;
  return ReturnBytes(cx, args, Sign(hash, key, data));
}

template <Result<bool> (*Verify)(std::string_view, std::string_view, std::string_view,
                                 std::string_view)>
bool VerifyNative(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  std::string hash;
  Bytes key, data, sig;
  if (!a.String(0, &hash) || !a.Buffer(1, &key) || !a.Buffer(2, &data) || !a.Buffer(3, &sig))
    return false;
  return ReturnBool(cx, args, Verify(hash, key, data, sig));
}

bool ReturnPair(JSContext* cx, JS::CallArgs& args, const Result<subtle::KeyPairDer>& r) {
  if (!r) return ThrowResult(cx, r.error());
  JS::RootedObject obj(cx, JS_NewPlainObject(cx));
  if (!obj || !SetBytes(cx, obj, "pkcs8", r->pkcs8) || !SetBytes(cx, obj, "spki", r->spki))
    return false;
  args.rval().setObject(*obj);
  return true;
}

bool GenerateEc(JSContext* cx, JS::CallArgs& args) {
  std::string curve;
  if (!Args(cx, args).String(0, &curve)) return false;
  return ReturnPair(cx, args, subtle::GenerateEc(curve));
}

bool GenerateRsa(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  uint32_t bits = 0;
  Bytes exponent;
  if (!a.Uint(0, &bits) || !a.Buffer(1, &exponent)) return false;
  return ReturnPair(cx, args, subtle::GenerateRsa(bits, exponent));
}

bool ArgObject(JSContext* cx, JS::CallArgs& args, JS::MutableHandleObject out) {
  if (!args.get(0).isObject()) return ThrowError(cx, JSEXN_TYPEERR, "subtle: expected an object");
  out.set(&args[0].toObject());
  return true;
}

subtle::KeyKind KindOf(const JS::CallArgs& args) {
  return JS::ToBoolean(args.get(1)) ? subtle::KeyKind::kPrivate : subtle::KeyKind::kPublic;
}

bool EcFromComponents(JSContext* cx, JS::CallArgs& args) {
  JS::RootedObject in(cx);
  JS::RootedValue curve(cx);
  subtle::EcComponents c;
  if (!ArgObject(cx, args, &in) || !JS_GetProperty(cx, in, "curve", &curve) ||
      !GetBytes(cx, in, "point", &c.public_point) || !GetBytes(cx, in, "d", &c.d))
    return false;
  c.curve = ValueToUtf8(cx, curve);
  return ReturnBytes(cx, args, subtle::EcKeyFromComponents(c));
}

bool EcComponents(JSContext* cx, JS::CallArgs& args) {
  Bytes der;
  if (!Args(cx, args).Buffer(0, &der)) return false;
  auto r = subtle::EcKeyComponents(der, KindOf(args));
  if (!r) return ThrowResult(cx, r.error());
  JS::RootedObject obj(cx, JS_NewPlainObject(cx));
  JS::RootedString curve(cx, NewStringUtf8(cx, r->curve));
  if (!obj || !curve || !JS_DefineProperty(cx, obj, "curve", curve, JSPROP_ENUMERATE) ||
      !SetBytes(cx, obj, "point", r->public_point) ||
      (!r->d.empty() && !SetBytes(cx, obj, "d", r->d)))
    return false;
  args.rval().setObject(*obj);
  return true;
}

struct RsaField {
  const char* name;
  Bytes subtle::RsaComponents::*field;
};
constexpr RsaField kRsaFields[] = {
    {"n", &subtle::RsaComponents::n},   {"e", &subtle::RsaComponents::e},
    {"d", &subtle::RsaComponents::d},   {"p", &subtle::RsaComponents::p},
    {"q", &subtle::RsaComponents::q},   {"dp", &subtle::RsaComponents::dp},
    {"dq", &subtle::RsaComponents::dq}, {"qi", &subtle::RsaComponents::qi},
};

bool RsaFromComponents(JSContext* cx, JS::CallArgs& args) {
  JS::RootedObject in(cx);
  if (!ArgObject(cx, args, &in)) return false;
  subtle::RsaComponents c;
  for (const RsaField& f : kRsaFields)
    if (!GetBytes(cx, in, f.name, &(c.*f.field))) return false;
  return ReturnBytes(cx, args, subtle::RsaKeyFromComponents(c));
}

bool RsaComponents(JSContext* cx, JS::CallArgs& args) {
  Bytes der;
  if (!Args(cx, args).Buffer(0, &der)) return false;
  auto r = subtle::RsaKeyComponents(der, KindOf(args));
  if (!r) return ThrowResult(cx, r.error());
  JS::RootedObject obj(cx, JS_NewPlainObject(cx));
  if (!obj) return false;
  for (const RsaField& f : kRsaFields)
    if (!((*r).*f.field).empty() && !SetBytes(cx, obj, f.name, (*r).*f.field)) return false;
  if (!JS_DefineProperty(cx, obj, "modulusLength", static_cast<double>(r->modulus_bits),
                         JSPROP_ENUMERATE))
    return false;
  args.rval().setObject(*obj);
  return true;
}

bool TimingSafeEqual(JSContext* cx, JS::CallArgs& args) {
  Args a(cx, args);
  Bytes x, y;
  if (!a.Buffer(0, &x) || !a.Buffer(1, &y)) return false;
  args.rval().setBoolean(subtle::TimingSafeEqual(x, y));
  return true;
}

const JSFunctionSpec kSubtleFunctions[] = {
    JS_FN("digest", Native<Digest>, 2, 0),
    JS_FN("hmac", Native<Hmac>, 3, 0),
    JS_FN("aesGcm", Native<AesGcm>, 6, 0),
    JS_FN("aesCbc", Native<AesCbc>, 4, 0),
    JS_FN("pbkdf2", Native<Pbkdf2>, 5, 0),
    JS_FN("hkdf", Native<Hkdf>, 5, 0),
    JS_FN("ecdsaSign", Native<SignNative<subtle::EcdsaSign>>, 3, 0),
    JS_FN("ecdsaVerify", Native<VerifyNative<subtle::EcdsaVerify>>, 4, 0),
    JS_FN("rsaPkcs1Sign", Native<SignNative<subtle::RsaPkcs1Sign>>, 3, 0),
    JS_FN("rsaPkcs1Verify", Native<VerifyNative<subtle::RsaPkcs1Verify>>, 4, 0),
    JS_FN("generateEc", Native<GenerateEc>, 1, 0),
    JS_FN("generateRsa", Native<GenerateRsa>, 2, 0),
    JS_FN("ecFromComponents", Native<EcFromComponents>, 1, 0),
    JS_FN("ecComponents", Native<EcComponents>, 2, 0),
    JS_FN("rsaFromComponents", Native<RsaFromComponents>, 1, 0),
    JS_FN("rsaComponents", Native<RsaComponents>, 2, 0),
    JS_FN("timingSafeEqual", Native<TimingSafeEqual>, 2, 0),
    JS_FS_END,
};

}  // namespace

JSObject* NewSubtleHostObject(JSContext* cx) {
  JS::RootedObject obj(cx, JS_NewPlainObject(cx));
  if (!obj || !JS_DefineFunctions(cx, obj, kSubtleFunctions)) return nullptr;
  return obj;
}

}  // namespace blaze::engine
