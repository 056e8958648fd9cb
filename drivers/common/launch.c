/* launch.c — serialisation of struct vsh_launch (drivers/common/launch.h). */
#include <config.h>

#include "launch.h"
