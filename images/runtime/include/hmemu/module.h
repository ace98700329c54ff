/* SPDX-License-Identifier: MIT */
/*
 * Module boilerplate (include/linux/module.h, init.h). A guest image is one
 * "module": module_init(fn) makes main() call fn; if fn returns 0 and the
 * image also has module_exit(ex), ex runs next (insmod then rmmod).
 */
#ifndef _HMEMU_MODULE_H
#define _HMEMU_MODULE_H

#include <hmemu/compiler.h>

#define __init
#define __exit
#define __initdata
#define __exitdata
#define __initconst
#define __ro_after_init
#define __read_mostly

#define MODULE_LICENSE(x)
#define MODULE_AUTHOR(x)
#define MODULE_DESCRIPTION(x)
#define MODULE_VERSION(x)
#define MODULE_ALIAS(x)
#define MODULE_INFO(tag, info)
#define MODULE_PARM_DESC(name, desc)
#define module_param(name, type, perm)
#define THIS_MODULE	((void *)0)

extern void (*const __hm_module_exit)(void) __weak;

#define module_init(initfn) \
	int main(void) \
	{ \
		int __ret = initfn(); \
		if (__ret == 0 && &__hm_module_exit && __hm_module_exit) \
			__hm_module_exit(); \
		return __ret; \
	}

#define module_exit(exitfn) \
	void (*const __hm_module_exit)(void) = exitfn

#endif
