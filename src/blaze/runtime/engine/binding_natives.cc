// host.bindingCall and the settling of its promise (the JS half of binding.h's contract).
#include <js/Array.h>
#include <js/Promise.h>
#include <js/PropertyAndElement.h>

#include <js/GCVector.h>

#include <cmath>
#include <cstdint>
#include <optional>

#include "blaze/runtime/engine/host_api.h"
#include "blaze/runtime/engine/js_util.h"
#include "blaze/runtime/engine/utf8.h"

namespace blaze::engine {
namespace {

bool IsAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// A JS string from UTF-8 text; invalid sequences become U+FFFD instead of an error.
JSString* NewStringLossy(JSContext* cx, std::string_view utf8) {
  if (IsAscii(utf8)) return JS_NewStringCopyN(cx, utf8.data(), utf8.size());
  std::u16string text = DecodeUtf8(utf8, Utf8Errors::kReplace, Utf8Bom::kKeep).value();
  return JS_NewUCStringCopyN(cx, text.data(), text.size());
}

bool CellValue(JSContext* cx, const BindingRows::Cell& cell, JS::MutableHandleValue out) {
  switch (cell.index()) {
    case 0: out.setNull(); return true;
    case 1: {
      std::int64_t v = std::get<std::int64_t>(cell);
      if (v >= INT32_MIN && v <= INT32_MAX) out.setInt32(static_cast<std::int32_t>(v));
      else out.setDouble(static_cast<double>(v));
      return true;
    }
    case 2: {
      double v = std::get<double>(cell);
      if (std::isfinite(v)) out.set(JS::NumberValue(v));
      else out.setNull();
      return true;
    }
    case 3: {
      JSString* str = NewStringLossy(cx, std::get<std::string>(cell));
      if (!str) return false;
      out.setString(str);
      return true;
    }
    default: {
      const auto& bytes = std::get<std::vector<std::uint8_t>>(cell);
      JS::RootedValueVector items(cx);
      if (!items.reserve(bytes.size())) return false;
      for (std::uint8_t b : bytes) items.infallibleAppend(JS::Int32Value(b));
      JSObject* array = JS::NewArrayObject(cx, items);
      if (!array) return false;
      out.setObject(*array);
      return true;
    }
  }
}

// BindingRows' rows as an Array of Arrays (dense arrays made from their values at once: defining
// elements one by one costs ~400 instructions each). bindings.js makes the objects, when
// `objects`, with a function compiled per column list.
// A text cell equal to the one above it (a status, a date: columns repeat) reuses its string.
JSObject* NewRowsArray(JSContext* cx, const BindingRows& rows) {
  const std::size_t columns = rows.columns.size();
  const std::size_t count = rows.row_count();
  JS::RootedValueVector list(cx), values(cx), previous(cx);
  JS::RootedValue value(cx);
  if (!list.reserve(count) || !values.reserve(columns) || !previous.reserve(columns))
    return nullptr;
  for (std::size_t r = 0; r < count; ++r) {
    values.clear();
    for (std::size_t c = 0; c < columns; ++c) {
      const BindingRows::Cell& cell = rows.cells[r * columns + c];
      if (r > 0 && cell.index() == 3 && previous[c].isString() &&
          std::get<std::string>(cell) == std::get<std::string>(rows.cells[(r - 1) * columns + c])) {
        value = previous[c];
      } else if (!CellValue(cx, cell, &value)) {
        return nullptr;
      }
      values.infallibleAppend(value);
    }
    previous.clear();
    if (!previous.appendAll(values)) return nullptr;
    JSObject* row = JS::NewArrayObject(cx, values);
    if (!row) return nullptr;
    list.infallibleAppend(JS::ObjectValue(*row));
  }
  return JS::NewArrayObject(cx, list);
}

// The column names of a table whose rows become objects, else undefined.
bool ColumnsValue(JSContext* cx, const BindingRows& rows, JS::MutableHandleValue out) {
  if (!rows.objects) {
    out.setUndefined();
    return true;
  }
  JS::RootedValueVector names(cx);
  if (!names.reserve(rows.columns.size())) return false;
  for (const std::string& column : rows.columns) {
    JSString* name = NewStringLossy(cx, column);
    if (!name) return false;
    names.infallibleAppend(JS::StringValue(name));
  }
  JSObject* array = JS::NewArrayObject(cx, names);
  if (!array) return false;
  out.setObject(*array);
  return true;
}

// handle, op, argsJson and buffers of a bindingCall / bindingCallNow.
bool ReadBindingCall(JSContext* cx, JS::CallArgs& args, int* handle, BindingCall* call) {
  double h = -1;
  if (!args.get(0).isNumber() || !std::isfinite(h = args[0].toNumber()) || h < 0)
    return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: bad binding handle");
  *handle = static_cast<int>(h);
  call->op = ValueToUtf8(cx, args.get(1));
  call->args = ValueToUtf8(cx, args.get(2));
  if (args.get(3).isObject()) {
    JS::RootedObject list(cx, &args[3].toObject());
    bool is_array = false;
    uint32_t length = 0;
    if (!JS::IsArrayObject(cx, list, &is_array) || !is_array || !JS::GetArrayLength(cx, list, &length))
      return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: buffers must be an array");
    JS::RootedValue item(cx);
    for (uint32_t i = 0; i < length; ++i) {
      if (!JS_GetElement(cx, list, i, &item)) return false;
      std::string bytes;
      if (!CopyBufferSource(item, &bytes))
        return ThrowError(cx, JSEXN_TYPEERR, "bindingCall: buffers must hold Uint8Arrays");
      call->buffers.push_back(std::move(bytes));
    }
  }
  return true;
}

// The Error a failed reply rejects (or throws) with: the message, and `code` the ErrorCode name.
bool BindingError(JSContext* cx, const Error& e, JS::MutableHandleValue out) {
  JS::RootedString code(cx, NewStringUtf8(cx, InfoFor(e.code()).name));
  if (!code || !MakeError(cx, JSEXN_ERR, e.message(), out)) return false;
  JS::RootedObject obj(cx, &out.toObject());
  return JS_DefineProperty(cx, obj, "code", code, JSPROP_ENUMERATE);
}

// A reply as bindingCall resolves with it (see host_api.h).
bool BindingReplyValue(JSContext* cx, const BindingReply& reply, JS::MutableHandleValue out) {
  JS::RootedString json(cx, NewStringUtf8(cx, reply.json));
  if (!json) return false;
  if (reply.buffers.empty() && reply.rows.empty()) {  // the common case: the JSON alone
    out.setString(json);
    return true;
  }
  JS::RootedValueVector list(cx);
  if (!list.reserve(reply.buffers.size())) return false;
  for (const std::string& bytes : reply.buffers) {
    JSObject* array = NewUint8Array(cx, bytes);
    if (!array) return false;
    list.infallibleAppend(JS::ObjectValue(*array));
  }
  JS::RootedObject buffers(cx, JS::NewArrayObject(cx, list));
  if (!buffers) return false;
  JS::RootedValueVector parts(cx);
  if (!parts.append(JS::StringValue(json)) || !parts.append(JS::ObjectValue(*buffers)))
    return false;
  if (!reply.rows.empty()) {  // [json, buffers, tables, columns of each table]
    JS::RootedValueVector tables(cx), columns(cx);
    JS::RootedValue value(cx);
    for (const BindingRows& rows : reply.rows) {
      JSObject* table = NewRowsArray(cx, rows);
      if (!table || !tables.append(JS::ObjectValue(*table))) return false;
      if (!ColumnsValue(cx, rows, &value) || !columns.append(value)) return false;
    }
    JSObject* tables_array = JS::NewArrayObject(cx, tables);
    if (!tables_array || !parts.append(JS::ObjectValue(*tables_array))) return false;
    JSObject* columns_array = JS::NewArrayObject(cx, columns);
    if (!columns_array || !parts.append(JS::ObjectValue(*columns_array))) return false;
  }
  JSObject* array = JS::NewArrayObject(cx, parts);
  if (!array) return false;
  out.setObject(*array);
  return true;
}

}  // namespace

// bindingCall(handle, op, argsJson, buffers)
bool BindingCallNative(JSContext* cx, JS::CallArgs& args) {
  int handle = -1;
  BindingCall call;
  if (!ReadBindingCall(cx, args, &handle, &call)) return false;
  JS::RootedObject promise(cx, JS::NewPromiseObject(cx, nullptr));
  if (!promise) return false;
  HostServices* services = static_cast<HostServices*>(JS_GetContextPrivate(cx));
  services->StartBindingCall(cx, handle, std::move(call), promise);
  args.rval().setObject(*promise);
  return true;
}

// bindingCallNow(handle, op, argsJson, buffers): an inline service's reply at once (its failure
// thrown), else the promise bindingCall returns.
bool BindingCallNowNative(JSContext* cx, JS::CallArgs& args) {
  int handle = -1;
  BindingCall call;
  if (!ReadBindingCall(cx, args, &handle, &call)) return false;
  HostServices* services = static_cast<HostServices*>(JS_GetContextPrivate(cx));
  if (std::optional<Result<BindingReply>> reply = services->CallBindingInline(cx, handle, call)) {
    if (*reply) return BindingReplyValue(cx, **reply, args.rval());
    JS::RootedValue error(cx);
    if (!BindingError(cx, reply->error(), &error)) return false;
    JS_SetPendingException(cx, error);
    return false;
  }
  JS::RootedObject promise(cx, JS::NewPromiseObject(cx, nullptr));
  if (!promise) return false;
  services->StartBindingCall(cx, handle, std::move(call), promise);
  args.rval().setObject(*promise);
  return true;
}

bool SettleBindingPromise(JSContext* cx, JS::HandleObject promise,
                          const Result<BindingReply>& result) {
  JS::RootedValue value(cx);
  if (!result) {
    if (!BindingError(cx, result.error(), &value)) return false;
    return JS::RejectPromise(cx, promise, value);
  }
  if (!BindingReplyValue(cx, *result, &value)) return false;
  return JS::ResolvePromise(cx, promise, value);
}

}  // namespace blaze::engine
