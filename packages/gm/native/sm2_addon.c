/*
 * SM2 sign/verify of a given digest e, over the OpenSSL that Node itself ships (symbols exported by the node binary).
 * Why: Node's crypto.sign() cannot set the SM2 user ID, so it signs SM3(Z(empty ID) || M). We compute
 * e = SM3(Z(ID) || M) in JS (GB/T 32918.2 §6.1) and let OpenSSL do the scalar work on e directly
 * (EVP_PKEY_sign on an SM2 key signs the supplied digest as e). Pure JS is the fallback when this does not build.
 */
#include <node_api.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/bn.h>
#include <string.h>

#define THROW(env, msg) do { napi_throw_error((env), "GM_NATIVE", (msg)); return NULL; } while (0)

static void free_key(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  EVP_PKEY_free((EVP_PKEY *)data);
}

static int get_buffer(napi_env env, napi_value v, unsigned char **data, size_t *len) {
  bool is_buf = false;
  if (napi_is_buffer(env, v, &is_buf) == napi_ok && is_buf) {
    return napi_get_buffer_info(env, v, (void **)data, len) == napi_ok;
  }
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) == napi_ok && is_ta) {
    napi_typedarray_type t; napi_value ab; size_t off;
    return napi_get_typedarray_info(env, v, &t, len, (void **)data, &ab, &off) == napi_ok && t == napi_uint8_array;
  }
  return 0;
}

/* keyFromRaw(pub65: Uint8Array, priv32?: Uint8Array) -> external EVP_PKEY */
static napi_value key_from_raw(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  unsigned char *pub = NULL, *priv = NULL; size_t publen = 0, privlen = 0;
  if (argc < 1 || !get_buffer(env, argv[0], &pub, &publen) || publen != 65) THROW(env, "public key must be 65 bytes");
  if (argc >= 2) {
    napi_valuetype t; napi_typeof(env, argv[1], &t);
    if (t != napi_undefined && t != napi_null) {
      if (!get_buffer(env, argv[1], &priv, &privlen) || privlen != 32) THROW(env, "private key must be 32 bytes");
    }
  }
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  BIGNUM *d = NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  EVP_PKEY *pkey = NULL;
  int ok = bld != NULL
    && OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0)
    && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, publen);
  if (ok && priv) {
    d = BN_bin2bn(priv, (int)privlen, NULL);
    ok = d != NULL && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d);
  }
  if (ok) ok = (params = OSSL_PARAM_BLD_to_param(bld)) != NULL;
  if (ok) ok = (ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL)) != NULL;
  if (ok) ok = EVP_PKEY_fromdata_init(ctx) > 0;
  if (ok) ok = EVP_PKEY_fromdata(ctx, &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) > 0;
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_clear_free(d);
  if (!ok || pkey == NULL) { EVP_PKEY_free(pkey); THROW(env, "OpenSSL rejected the SM2 key"); }
  napi_value ext;
  if (napi_create_external(env, pkey, free_key, NULL, &ext) != napi_ok) { EVP_PKEY_free(pkey); THROW(env, "external"); }
  return ext;
}

static EVP_PKEY *get_key(napi_env env, napi_value v) {
  void *p = NULL;
  if (napi_get_value_external(env, v, &p) != napi_ok) return NULL;
  return (EVP_PKEY *)p;
}

/* signDigest(key, e32) -> Buffer (DER ECDSA-Sig-Value) */
static napi_value sign_digest(napi_env env, napi_callback_info info) {
  size_t argc = 2; napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_PKEY *pkey = argc >= 1 ? get_key(env, argv[0]) : NULL;
  unsigned char *e = NULL; size_t elen = 0;
  if (!pkey) THROW(env, "bad key handle");
  if (argc < 2 || !get_buffer(env, argv[1], &e, &elen) || elen != 32) THROW(env, "digest must be 32 bytes");
  unsigned char sig[80]; size_t siglen = sizeof sig;
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
  int ok = ctx != NULL && EVP_PKEY_sign_init(ctx) > 0 && EVP_PKEY_sign(ctx, sig, &siglen, e, elen) > 0;
  EVP_PKEY_CTX_free(ctx);
  if (!ok) THROW(env, "SM2 sign failed");
  napi_value out; void *dst;
  napi_create_buffer_copy(env, siglen, sig, &dst, &out);
  return out;
}

/* verifyDigest(key, e32, derSig) -> boolean */
static napi_value verify_digest(napi_env env, napi_callback_info info) {
  size_t argc = 3; napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  EVP_PKEY *pkey = argc >= 1 ? get_key(env, argv[0]) : NULL;
  unsigned char *e = NULL, *sig = NULL; size_t elen = 0, siglen = 0;
  if (!pkey) THROW(env, "bad key handle");
  if (argc < 3 || !get_buffer(env, argv[1], &e, &elen) || elen != 32) THROW(env, "digest must be 32 bytes");
  if (!get_buffer(env, argv[2], &sig, &siglen)) THROW(env, "signature must be bytes");
  EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
  int r = ctx != NULL && EVP_PKEY_verify_init(ctx) > 0 ? EVP_PKEY_verify(ctx, sig, siglen, e, elen) : -1;
  EVP_PKEY_CTX_free(ctx);
  napi_value out;
  napi_get_boolean(env, r == 1, &out);
  return out;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
    { "keyFromRaw", NULL, key_from_raw, NULL, NULL, NULL, napi_default, NULL },
    { "signDigest", NULL, sign_digest, NULL, NULL, NULL, napi_default, NULL },
    { "verifyDigest", NULL, verify_digest, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
