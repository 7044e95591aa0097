// gpu/shaders/vk_double.comp — v[i] = 2*v[i] + 1 over one storage buffer;
// the vk suites' and bench's basic kernel (fixed local size 64, as
// rt_vk_kernel_launch_1d launches).
#version 450
layout(local_size_x = 64) in;
layout(std430, set = 0, binding = 0) buffer V { uint v[]; };
void main()
{
    uint i = gl_GlobalInvocationID.x;
    if (i < uint(v.length()))
        v[i] = v[i] * 2u + 1u;
}
