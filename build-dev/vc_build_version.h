#define VC_VERSION "0.14.0"
#define VC_COMMIT "c74900f7c15b"
