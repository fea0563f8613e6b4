{
  "targets": [
    {
      "target_name": "yinzhang_sm2",
      "sources": ["native/sm2_addon.c"],
      "cflags": ["-O2", "-Wall"],
      "defines": ["NAPI_VERSION=8", "OPENSSL_API_COMPAT=30000"]
    }
  ]
}
